import Foundation
import Spec
import TestSupport
import Testing

/// Scalar resolution as the accessors and `jsonValue` apply it.
@Suite struct YAMLResolutionTests {
    private func value(_ yaml: String) throws -> Node {
        let root = try #require(loadYAML(MarkedText("v: \(yaml)\n")).node)
        return try #require(root["v"])
    }

    @Test(arguments: [("true", true), ("false", false)])
    func onlyPlainTrueAndFalseAreBooleans(text: String, expected: Bool) throws {
        #expect(try value(text).bool == expected)
    }

    @Test(arguments: ["yes", "no", "on", "off", "True", "FALSE", "y", "n", "\"true\"", "'false'"])
    func yamlOneOneBooleansAreStrings(text: String) throws {
        let node = try value(text)
        #expect(node.bool == nil)
        #expect(node.string == text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")))
        #expect(node.jsonValue as? String == node.string)
    }

    @Test(arguments: [("0", 0), ("42", 42), ("-7", -7), ("!!int 5", 5)])
    func decimalIntegers(text: String, expected: Int) throws {
        #expect(try value(text).int == expected)
    }

    @Test(arguments: ["0123", "0x1F", "1_000", "+5", "\"12\"", "1e3", "12.0", "!!str 12", "０"])
    func notIntegers(text: String) throws {
        #expect(try value(text).int == nil)
    }

    @Test func numbersAndNulls() throws {
        #expect(try value("2.5").double == 2.5)
        #expect(try value("3").double == 3)
        #expect(try value(".5").double == nil)
        #expect(try value("~").isNull)
        #expect(try value("null").isNull)
        #expect(try value("").isNull)
        #expect(try value("'null'").isNull == false)
        #expect(try value("'null'").string == "null")
    }

    @Test func jsonValueFollowsTheResolutionRules() throws {
        let source = """
            name: PG
            seats: 25
            ratio: 0.5
            active: true
            legacy: yes
            code: 0123
            quoted: "7"
            nothing: ~
            people: [ada, {id: 2}]
            """
        let root = try #require(loadYAML(MarkedText(source)).node)
        let json = try #require(root.jsonValue as? [String: Any])
        #expect(json["name"] as? String == "PG")
        #expect(json["seats"] as? Int == 25)
        #expect(json["ratio"] as? Double == 0.5)
        #expect(json["active"] as? Bool == true)
        #expect(json["legacy"] as? String == "yes")
        #expect(json["code"] as? String == "0123")
        #expect(json["quoted"] as? String == "7")
        #expect(json["nothing"] is NSNull)
        let people = try #require(json["people"] as? [Any])
        #expect(people.first as? String == "ada")
        #expect((people.last as? [String: Any])?["id"] as? Int == 2)
    }

    @Test func jsonValueDecodesWithJSONDecoder() throws {
        struct Person: Decodable, Equatable {
            var email: String
            var seats: Int
            var active: Bool
        }
        let root = try #require(loadYAML(MarkedText("- {email: a@x.org, seats: 3, active: false}\n")).node)
        let data = try JSONSerialization.data(withJSONObject: root.jsonValue)
        let people = try JSONDecoder().decode([Person].self, from: data)
        #expect(people == [Person(email: "a@x.org", seats: 3, active: false)])
    }
}

import Foundation

/// Lenient readers for vendor JSON: ids typed `number` may arrive as `7` or `7.0`, flags may be missing or null.
extension KeyedDecodingContainer {
    func decodeInt(_ key: Key) throws -> Int {
        if let value = try? decode(Int.self, forKey: key) { return value }
        let value = try decode(Double.self, forKey: key)
        guard let exact = Int(exactly: value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an integer id")
        }
        return exact
    }

    func decodeIntIfPresent(_ key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeInt(key)
    }

    func decodeFlag(_ key: Key) -> Bool {
        (try? decodeIfPresent(Bool.self, forKey: key)) ?? false
    }

    func decodeText(_ key: Key) -> String? {
        (try? decodeIfPresent(String.self, forKey: key)) ?? nil
    }
}

/// Gathers the results of pages fetched concurrently, converting a task group's untyped error back to `LiveError`.
package func concurrently<Output: Sendable>(
    _ count: Int, _ work: @escaping @Sendable (Int) async throws(LiveError) -> Output
) async throws(LiveError) -> [Output] {
    guard count > 0 else { return [] }
    do {
        return try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            for index in 0..<count {
                group.addTask { (index, try await work(index)) }
            }
            var results = [Output?](repeating: nil, count: count)
            for try await (index, output) in group {
                results[index] = output
            }
            // Every index was filled: a task that failed ended the group by throwing.
            return results.compactMap { $0 }
        }
    } catch let error as LiveError {
        throw error
    } catch {
        throw .cancelled
    }
}

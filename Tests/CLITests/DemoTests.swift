import Foundation
import Testing

/// `stoicprov demo` run as a user runs it, its narration compared structurally: the step headings in order,
/// "No changes" after the apply, the expiry and the enrollment with their reasons, 80 columns, exit 0. Nothing here
/// depends on ports, times or temporary paths.
@Suite struct DemoTests {
    static let headings = [
        "[1/7] Validate", "[2/7] Plan", "[3/7] Apply", "[4/7] Plan again", "[5/7] In the IdP", "[6/7] Plan",
        "[7/7] Reconcile", "What next",
    ]

    /// Output lines with wrapped continuations (deeper-indented lines after a change line) joined back.
    static func logicalLines(_ text: String) -> [String] {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indent = line.prefix { $0 == " " }.count
            if indent >= 6, let last = lines.last, last.hasPrefix("  "), !last.hasPrefix("      ") {
                lines[lines.count - 1] = last + " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                lines.append(line)
            }
        }
        return lines
    }

    @Test func narratesTheWholeLoopInOrder() throws {
        let result = try BinaryRunner.run(["demo"], timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        // The headings, each once, in order.
        let found = Self.headings.map { heading in lines.firstIndex { $0.hasPrefix(heading) } }
        #expect(found.allSatisfy { $0 != nil }, "missing headings in:\n\(result.stdout)")
        let positions = found.compactMap { $0 }
        #expect(positions == positions.sorted(), "headings out of order:\n\(result.stdout)")
        guard positions.count == Self.headings.count else { return }
        func section(_ index: Int) -> ArraySlice<String> {
            lines[positions[index]..<(index + 1 < positions.count ? positions[index + 1] : lines.count)]
        }

        // 1: the validate summary; 2: creates per tenant and a few samples, not hundreds.
        #expect(section(0).contains { $0.contains("examples: 3 tenants") && $0.hasSuffix("no problems") })
        let plan = section(1)
        #expect(plan.contains { $0.hasPrefix("  pg: ") && $0.contains("thinkific +") })
        #expect(plan.contains { $0.contains("  … and ") && $0.hasSuffix(" more") })
        #expect(plan.count < 30, "the first plan is narrated in \(plan.count) lines")
        // 3: the report summary, nothing failed.
        #expect(section(2).contains { $0.contains("Apply: ") && $0.contains(" done, 0 failed") })
        // 4: nothing left to do after the apply.
        #expect(section(3).contains { $0.contains("No changes") })
        #expect(!section(2).contains { $0.contains("No changes") })
        // 6: the expiry and the enrollment, in full, with their reasons.
        let final = Self.logicalLines(section(5).joined(separator: "\n"))
        let expiry = final.first { $0.contains("- expire ivy.nguyen@pg.com in ") }
        #expect(expiry?.contains("(left SG-Stoic-") == true, "\(final)")
        let enrollment = final.first { $0.contains("+ enroll zara.new@pg.com in ") }
        #expect(enrollment?.hasSuffix("(joined SG-Stoic-Managers)") == true, "\(final)")
        // Step 7: the orchestrator provisions a new person with at least one change, in seconds.
        let reconcile = Self.logicalLines(section(6).joined(separator: "\n")).joined(separator: " ")
        #expect(reconcile.contains("nia.reconcile@pg.com") && reconcile.contains(" s after the IdP pushed it"), "\(reconcile)")
        #expect(!reconcile.contains(" 0 changes done"), "\(reconcile)")

        // An 80-column terminal, and nothing tied to this run.
        for line in lines { #expect(line.count <= 80, "too wide: \(line)") }
        #expect(!result.stdout.contains("127.0.0.1"))
        #expect(!result.stdout.contains(FileManager.default.temporaryDirectory.path))
        #expect(!result.stdout.contains("\u{1B}["), "colour with NO_COLOR set")
    }

    @Test func aWorkspaceThatIsNotOneExits1() throws {
        let result = try BinaryRunner.run(["demo", "--workspace", "docs"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no example workspace found"))
    }

    @Test func usageErrorsExit64() throws {
        for arguments in [["demo", "--kep"], ["demo", "extra"]] {
            let result = try BinaryRunner.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("stoicprov demo --help"), "\(arguments)")
        }
    }
}

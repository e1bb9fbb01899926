import Synchronization

/// Bounds on what a server can make one paged listing read (issue 9, class 4). A listing that would pass one fails
/// with `LiveError.listingOutOfBounds` naming the connection: nothing of it is used, so no plan is made from part of
/// a listing.
public struct ListingLimits: Sendable, Hashable {
    /// Pages one listing may read, whatever the server announces: 2,000 (500,000 Thinkific users at 250 a page,
    /// 200,000 WorkOS directory users at 100, 2,000,000 SCIM users at 1,000).
    public var maxPages: Int
    /// Pages read beyond what the listing's own totals announced, for a listing that grows while it is read.
    public var growthPages: Int
    /// Items one listing may hold.
    public var maxItems: Int
    /// Body bytes one listing may receive across its pages (each answer is also capped by the transport).
    public var maxBytes: Int

    public init(maxPages: Int = 2_000, growthPages: Int = 20, maxItems: Int = 2_000_000, maxBytes: Int = 512 * 1024 * 1024) {
        self.maxPages = max(1, maxPages)
        self.growthPages = max(0, growthPages)
        self.maxItems = max(1, maxItems)
        self.maxBytes = max(1, maxBytes)
    }

    public static let standard = ListingLimits()

    /// The pages a listing may read when its totals announce `announced` pages: those plus the growth allowance,
    /// never more than `maxPages`. Overflow-safe for any announced number.
    func allowedPages(announced: Int?) -> Int {
        guard let announced, announced >= 0 else { return maxPages }
        let (sum, overflow) = announced.addingReportingOverflow(growthPages)
        return overflow ? maxPages : min(maxPages, max(1, sum))
    }

    /// Pages needed for `items` at `pageSize` a page, or `nil` when either is unusable. Overflow-safe.
    static func pages(items: Int?, pageSize: Int) -> Int? {
        guard let items, items >= 0, pageSize > 0 else { return nil }
        return items / pageSize + (items % pageSize == 0 ? 0 : 1)
    }
}

/// What one listing has read so far, checked against its limits on every page. Shared by pages read concurrently.
final class ListingBudget: Sendable {
    let limits: ListingLimits
    let connection: String
    let path: String
    private let used = Mutex((pages: 0, items: 0, bytes: 0))

    init(_ limits: ListingLimits, connection: String, path: String) {
        self.limits = limits
        self.connection = connection
        self.path = path
    }

    /// Counts one page; throws once a limit is passed.
    func admit(items: Int, bytes: Int) throws(LiveError) {
        let total = used.withLock { used in
            used.pages += 1
            used.items += items
            used.bytes += bytes
            return used
        }
        if total.pages > limits.maxPages { throw failure("more than \(limits.maxPages) pages") }
        if total.items > limits.maxItems { throw failure("more than \(limits.maxItems) items") }
        if total.bytes > limits.maxBytes { throw failure("more than \(limits.maxBytes) bytes") }
    }

    var pages: Int { used.withLock { $0.pages } }

    func failure(_ reason: String) -> LiveError {
        .listingOutOfBounds(connection: connection, path: path, reason: reason)
    }
}

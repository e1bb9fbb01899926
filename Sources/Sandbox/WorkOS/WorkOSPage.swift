/// Cursor pagination over a list in ascending id order, as WorkOS lists page: `limit`, `before`, `after`, `order`.
///
/// `asc` shows oldest first and `desc` newest first, with `after` continuing in the shown direction; `normal` shows
/// newest first but `before` fetches older and `after` newer objects. A cursor that no longer exists (a deleted
/// object) still marks its place, because ids sort by creation time.
struct WorkOSPage {
    enum Order: String {
        case asc, desc, normal
    }

    /// Positions into the ascending list, in the order to show them.
    var positions: [Int]
    var before: String? = nil
    var after: String? = nil

    /// - Parameters:
    ///   - count: length of the ascending list.
    ///   - id: the id at a position of the ascending list.
    init(count: Int, id: (Int) -> String, order: Order, limit: Int, before: String?, after: String?) {
        let (low, high) = Self.window(count: count, id: id, order: order, limit: limit, before: before, after: after)
        guard low < high else {
            positions = []
            return
        }
        let olderID: String? = low > 0 ? id(low) : nil
        let newerID: String? = high < count ? id(high - 1) : nil
        switch order {
        case .asc:
            positions = Array(low..<high)
            self.before = olderID
            self.after = newerID
        case .desc:
            positions = Array((low..<high).reversed())
            self.before = newerID
            self.after = olderID
        case .normal:
            positions = Array((low..<high).reversed())
            self.before = olderID
            self.after = newerID
        }
    }

    /// The page as a range `[low, high)` of the ascending list: `limit` items next to the cursor on the side the
    /// order and cursor ask for, or, with no cursor, the oldest (`asc`) or newest `limit` items. `limit` is
    /// already validated (1…100), so no sum here can overflow.
    private static func window(
        count: Int, id: (Int) -> String, order: Order, limit: Int, before: String?, after: String?
    ) -> (low: Int, high: Int) {
        // `after` continues in the shown direction: newer for asc and normal, older for desc.
        let cursor = after ?? before
        let wantsNewer: Bool? =
            switch order {
            case .asc, .normal: after != nil ? true : before != nil ? false : nil
            case .desc: after != nil ? false : before != nil ? true : nil
            }
        guard let cursor, let wantsNewer else {
            return order == .asc ? (0, min(count, limit)) : (max(0, count - limit), count)
        }
        let (lower, newerStart) = split(count: count, id: id, at: cursor)
        return wantsNewer ? (newerStart, min(count, newerStart + limit)) : (max(0, lower - limit), lower)
    }

    /// Where a cursor sits in the ascending list: older = `[0, lower)`, newer = `[newerStart, count)`.
    private static func split(count: Int, id: (Int) -> String, at cursor: String) -> (lower: Int, newerStart: Int) {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if id(middle) < cursor { low = middle + 1 } else { high = middle }
        }
        return (low, low < count && id(low) == cursor ? low + 1 : low)
    }
}

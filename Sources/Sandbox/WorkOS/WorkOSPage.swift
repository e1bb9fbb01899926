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
    var before: String?
    var after: String?

    /// - Parameters:
    ///   - count: length of the ascending list.
    ///   - id: the id at a position of the ascending list.
    init(count: Int, id: (Int) -> String, order: Order, limit: Int, before: String?, after: String?) {
        // Where the cursor sits: older = [0, lower), newer = [newerStart, count).
        func split(_ cursor: String) -> (lower: Int, newerStart: Int) {
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                if id(middle) < cursor { low = middle + 1 } else { high = middle }
            }
            return (low, low < count && id(low) == cursor ? low + 1 : low)
        }
        var low: Int
        var high: Int
        let wantsNewer: Bool?  // nil: no cursor
        let cursor: String?
        switch order {
        case .asc:
            cursor = after ?? before
            wantsNewer = after != nil ? true : before != nil ? false : nil
        case .desc:
            cursor = after ?? before
            wantsNewer = after != nil ? false : before != nil ? true : nil
        case .normal:
            cursor = after ?? before
            wantsNewer = after != nil ? true : before != nil ? false : nil
        }
        if let cursor, let wantsNewer {
            let (lower, newerStart) = split(cursor)
            if wantsNewer {
                low = newerStart
                high = min(count, newerStart + limit)
            } else {
                high = lower
                low = max(0, lower - limit)
            }
        } else if order == .asc {
            low = 0
            high = min(count, limit)
        } else {
            high = count
            low = max(0, count - limit)
        }
        if low >= high {
            positions = []
            self.before = nil
            self.after = nil
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
}

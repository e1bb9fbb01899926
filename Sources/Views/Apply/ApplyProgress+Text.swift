import Apply

/// The one progress line an apply redraws on a terminal.
public enum ApplyProgressText {
    /// `pg: 120/483 changes · 118 req/min · ETA 4 min`: the ETA is an estimate, written as the plan writes its estimates.
    public static func line(_ progress: ApplyProgress) -> String {
        var line = "\(progress.tenant): \(progress.finished)/\(progress.total) changes"
        if progress.failed > 0 { line += " (\(progress.failed) failed)" }
        line += " · \(Int(progress.requestsPerMinute.rounded())) req/min"
        if let left = progress.estimatedSecondsLeft { line += " · ETA " + DurationText.estimate(left) }
        return line
    }
}

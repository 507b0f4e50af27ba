import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Receives the harness's progress as steps start, advance and finish (issue 6: "a progress bar on a terminal").
/// Called from many tasks at once; implementations must be thread-safe.
public protocol HarnessProgress: Sendable {
    /// A step with `total` operations begins.
    func stepStarted(name: String, total: Int)
    /// `completed` of the step's `total` operations are done.
    func stepProgressed(name: String, completed: Int, total: Int)
    /// The step is over.
    func stepFinished(_ step: StepReport)
}

/// The text of a progress bar, kept pure so it can be tested: `\r[#####.....] step 123/500`.
public enum ProgressBar {
    /// The bar for `completed` of `total` operations of step `name`, `width` cells wide, starting with a carriage
    /// return so that each rendering overwrites the previous one.
    public static func render(name: String, completed: Int, total: Int, width: Int = 30) -> String {
        let done = total > 0 ? min(max(completed, 0), total) : 0
        let filled = total > 0 ? done * width / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "\r[\(bar)] \(name) \(done)/\(total)"
    }

    /// The line that closes a step: the full bar, the counts, and a newline.
    public static func finished(_ step: StepReport, width: Int = 30) -> String {
        let total = step.passed + step.failed + step.skipped
        let verdict = step.isPassing ? "ok" : "\(step.failed) failed, \(step.skipped) skipped"
        return self.render(name: step.name, completed: total, total: total, width: width) + " \(verdict)\u{1B}[K\n"
    }
}

/// A progress bar on standard error, drawn only when standard error is a terminal (`isatty(2)`), so that logs and
/// `--json` output piped elsewhere stay clean. Redraws at most once per percent.
public final class TerminalProgress: HarnessProgress {
    private struct State {
        var lastPercent: [String: Int] = [:]
    }

    private let enabled: Bool
    private let width: Int
    private let write: @Sendable (String) -> Void
    private let state = Mutex(State())

    /// Creates a progress bar that writes to standard error when it is a terminal.
    public convenience init(width: Int = 30) {
        self.init(isTerminal: isatty(2) != 0, width: width) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Creates a progress bar writing with `write`, drawn only when `isTerminal` (tests pass their own sink).
    public init(isTerminal: Bool, width: Int = 30, write: @escaping @Sendable (String) -> Void) {
        self.enabled = isTerminal
        self.width = width
        self.write = write
    }

    /// Draws the empty bar.
    public func stepStarted(name: String, total: Int) {
        guard self.enabled else { return }
        self.state.withLock { $0.lastPercent[name] = 0 }
        self.write(ProgressBar.render(name: name, completed: 0, total: total, width: self.width))
    }

    /// Redraws the bar when the percentage changed.
    public func stepProgressed(name: String, completed: Int, total: Int) {
        guard self.enabled, total > 0 else { return }
        let percent = completed * 100 / total
        let changed = self.state.withLock { state -> Bool in
            guard state.lastPercent[name] != percent else { return false }
            state.lastPercent[name] = percent
            return true
        }
        if changed { self.write(ProgressBar.render(name: name, completed: completed, total: total, width: self.width)) }
    }

    /// Draws the full bar with the step's verdict and ends the line.
    public func stepFinished(_ step: StepReport) {
        guard self.enabled else { return }
        self.state.withLock { _ = $0.lastPercent.removeValue(forKey: step.name) }
        self.write(ProgressBar.finished(step, width: self.width))
    }
}

import ArgumentParser
import Foundation

/// The executable's error type: each case maps to a CONTRACT §1 exit code and a one-line message on stderr.
enum CLIError: Error, CustomStringConvertible {
    /// Bad usage or invalid input: exit 64.
    case usage(String)
    /// A runtime failure: exit 1.
    case runtime(String)

    var description: String {
        switch self {
        case .usage(let message), .runtime(let message): message
        }
    }

    /// The CONTRACT §1 exit code.
    var exitCode: ExitCode {
        switch self {
        case .usage: ExitCode(64)
        case .runtime: ExitCode(1)
        }
    }

    /// Prints `intercloud: <message>` to stderr and returns the exit code to throw.
    func report() -> ExitCode {
        FileHandle.standardError.write(Data("intercloud: \(self.description)\n".utf8))
        return self.exitCode
    }
}

/// Runs a command body, turning every error into a one-line message and a CONTRACT §1 exit code.
func withExitCodes(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as CLIError {
        throw error.report()
    } catch let error as ExitCode {
        throw error
    } catch {
        throw CLIError.runtime("\(error)").report()
    }
}

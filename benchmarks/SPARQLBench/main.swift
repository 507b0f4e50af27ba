// sparql-bench: loads a data file into a QuadStore and times every query of a directory over the union default graph.
//
//     sparql-bench --data FILE.nq|.nt|.ttl --queries DIR [--repeat 5] [--graph-per-cloud]
//                  [--graph-per-subject-prefix xmpp:] [--slow-ms 20000] [--query-timeout 300]
//
// Output (one JSON object per line, as benchmarks/sparql/sparql_bench.py prints for the other engines): per query
// {"query", "rows", "ms_median", "ms_min", "runs", "digest", "ordered_digest"}, then {"load_ms", "triples" (quads
// stored), "graphs" (named graphs), "peak_rss_mb"}. A timed run parses and evaluates the query and counts the rows
// (an ASK counts 1 when true, 0 when false); the digests (sparql_rows.py format) come from one extra untimed run.
// After a run slower than --slow-ms the query is not repeated; one that passes --query-timeout is abandoned
// ("timeout_s"). peak_rss_mb is VmHWM.
import Foundation
import RDF
import SPARQL

struct Arguments {
    var data = ""
    var queries = ""
    var repeatCount = 5
    var cloudPrefix: String?
    var slowMilliseconds = 20_000.0
    var queryTimeoutSeconds = 300

    init(_ argv: [String]) throws {
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < argv.count else { throw BenchError("\(argv[i - 1]) needs a value") }
            return argv[i]
        }
        while i < argv.count {
            switch argv[i] {
            case "--data": self.data = try value()
            case "--queries": self.queries = try value()
            case "--repeat": self.repeatCount = max(1, Int(try value()) ?? 5)
            case "--graph-per-cloud": self.cloudPrefix = "xmpp:"
            case "--graph-per-subject-prefix": self.cloudPrefix = try value()
            case "--slow-ms": self.slowMilliseconds = Double(try value()) ?? self.slowMilliseconds
            case "--query-timeout": self.queryTimeoutSeconds = Int(try value()) ?? self.queryTimeoutSeconds
            case "-h", "--help":
                throw BenchError(
                    "usage: sparql-bench --data FILE.nq|.nt|.ttl --queries DIR [--repeat N] [--graph-per-cloud] "
                        + "[--graph-per-subject-prefix PREFIX] [--slow-ms MS] [--query-timeout S]")
            default: throw BenchError("unknown argument \(argv[i])")
            }
            i += 1
        }
        guard !self.data.isEmpty, !self.queries.isEmpty else { throw BenchError("--data and --queries are required") }
    }
}

/// A JSON value for the output lines (keys keep their order).
enum JSON {
    case string(String)
    case number(Double)
    case int(Int)
    case null

    var text: String {
        switch self {
        case .null: return "null"
        case .int(let n): return String(n)
        case .number(let x): return x.isFinite ? String((x * 1000).rounded() / 1000) : "null"
        case .string(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
    }

    static func line(_ fields: [(String, JSON)]) -> String {
        "{" + fields.map { JSON.string($0.0).text + ": " + $0.1.text }.joined(separator: ", ") + "}"
    }
}

func peakRSSMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = Double(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0
        return (kilobytes / 1024 * 10).rounded() / 10
    }
    return 0
}

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

/// Runs one query `repeat` times (fewer if slow) and prints its line.
func benchmark(name: String, text: String, store: QuadStore, arguments: Arguments) {
    let clock = ContinuousClock()
    var times: [Double] = []
    var rows: Int?
    do throws(SPARQLError) {
        for _ in 0..<arguments.repeatCount {
            let options = QueryOptions(
                defaultGraphAsUnion: true, deadline: clock.now + .seconds(arguments.queryTimeoutSeconds))
            let start = clock.now
            let result = try QueryEvaluator.evaluate(SPARQLQuery.parse(text), on: store, options: options)
            times.append(milliseconds(clock.now - start))
            if case .boolean(let value) = result { rows = value ? 1 : 0 } else { rows = result.rowCount }
            if times.last! > arguments.slowMilliseconds { break }
        }
        let result = try QueryEvaluator.evaluate(
            SPARQLQuery.parse(text), on: store, options: QueryOptions(defaultGraphAsUnion: true))
        let reprs = RowDigest.rows(result)
        let sorted = times.sorted()
        let median =
            sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        emit(
            JSON.line([
                ("query", .string(name)), ("rows", rows.map(JSON.int) ?? .null), ("ms_median", .number(median)),
                ("ms_min", .number(sorted[0])), ("runs", .int(times.count)),
                ("digest", reprs.map { .string(RowDigest.digest($0, ordered: false)) } ?? .null),
                (
                    "ordered_digest",
                    RowDigest.hasOrderBy(text)
                        ? reprs.map { .string(RowDigest.digest($0, ordered: true)) } ?? .null : .null
                ),
            ]))
    } catch {
        var fields: [(String, JSON)] = [("query", .string(name)), ("rows", rows.map(JSON.int) ?? .null)]
        if error.code == .timeout { fields.append(("timeout_s", .int(arguments.queryTimeoutSeconds))) }
        fields += [
            ("runs", .int(times.count)), ("ms_median", .null), ("ms_min", .null), ("error", .string(error.description)),
        ]
        emit(JSON.line(fields))
    }
}

/// Writes one output line at once (unbuffered, so a driver reading the pipe sees each query as it finishes).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func run() -> Int32 {
    do {
        let arguments = try Arguments(CommandLine.arguments)
        let clock = ContinuousClock()
        let start = clock.now
        var store = QuadStore()
        try DataLoader(path: arguments.data, cloudPrefix: arguments.cloudPrefix).load(into: &store)
        let loadMilliseconds = milliseconds(clock.now - start)
        let files = try FileManager.default.contentsOfDirectory(atPath: arguments.queries)
            .filter { $0.hasSuffix(".rq") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for file in files {
            let text = try String(contentsOfFile: arguments.queries + "/" + file, encoding: .utf8)
            benchmark(name: String(file.dropLast(3)), text: text, store: store, arguments: arguments)
        }
        emit(
            JSON.line([
                ("load_ms", .number((loadMilliseconds * 10).rounded() / 10)), ("triples", .int(store.count)),
                ("graphs", .int(store.namedGraphs().count)),
                ("peak_rss_mb", .number(peakRSSMegabytes())),
            ]))
        return 0
    } catch {
        FileHandle.standardError.write(Data("sparql-bench: \(error)\n".utf8))
        return 1
    }
}

exit(run())

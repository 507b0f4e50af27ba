import NIOPosix
import RDF
import SPARQL

extension CapabilityDirectory {
    /// Parses a SPARQL 1.1 query (SPARQL 1.1 Query §19); a syntax error names the line and column.
    public func parseQuery(_ text: String) throws(CapabilityError) -> SPARQLQuery {
        do {
            return try SPARQLQuery.parse(text)
        } catch {
            throw Self.map(error, limits: self.limits)
        }
    }

    /// Answers a query over the union of every visible graph (CONTRACT §5.3), on a thread pool so that no event
    /// loop or cooperative thread is held; stops with `queryTimeout` or `resultTooLarge` at the configured limits.
    public func evaluate(_ query: SPARQLQuery) async throws(CapabilityError) -> QueryResult {
        let store = self.snapshot()
        let limits = self.limits
        let options = QueryOptions(
            defaultGraphAsUnion: true, deadline: ContinuousClock.now.advanced(by: self.limits.timeout),
            maxRows: self.limits.maxRows)
        let outcome: Result<QueryResult, CapabilityError>
        do {
            outcome = try await NIOThreadPool.singleton.runIfActive {
                do {
                    return .success(try QueryEvaluator.evaluate(query, on: store, options: options))
                } catch let error as SPARQLError {
                    return .failure(Self.map(error, limits: limits))
                } catch {
                    return .failure(CapabilityError(.internalError, "\(error)"))
                }
            }
        } catch {
            throw CapabilityError(.internalError, "the query pool is not running")
        }
        return try outcome.get()
    }

    /// Parses and answers in one step.
    public func query(_ text: String) async throws(CapabilityError) -> QueryResult {
        try await self.evaluate(try self.parseQuery(text))
    }

    /// The engine's error codes as the directory's.
    static func map(_ error: SPARQLError, limits: Limits) -> CapabilityError {
        switch error.code {
        case .syntax: CapabilityError(.querySyntax, "query syntax error: \(error.description)")
        case .timeout:
            CapabilityError(
                .queryTimeout, "the query ran longer than the \(limits.timeout) timeout (sparql.timeout_ms)")
        case .resultTooLarge:
            CapabilityError(
                .resultTooLarge, "the answer has more than \(limits.maxRows) rows (sparql.max_rows); add a LIMIT")
        case .unsupported: CapabilityError(.unsupportedQuery, error.description)
        case .evaluation: CapabilityError(.internalError, error.description)
        }
    }
}

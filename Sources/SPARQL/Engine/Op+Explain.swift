import RDF

/// A readable rendering of a physical plan, for tests and diagnostics.
extension Op {
    /// One line per operator, nested operators indented.
    func explain(_ ctx: ExecutionContext, indent: String = "") -> String {
        func position(_ p: PatternPosition) -> String {
            switch p {
            case .slot(let s): return "?\(s)"
            case .constant(let c):
                switch ctx.term(c) {
                case .iri(let i):
                    return "<\(i.split(whereSeparator: { $0 == "#" || $0 == "/" }).last.map(String.init) ?? i)>"
                case .blank(let b): return "_:\(b)"
                case .literal(let l): return "\"\(l.lexical)\""
                }
            }
        }
        let next = indent + "  "
        switch self {
        case let p as PipelineOp: return p.steps.map { $0.explain(ctx, indent: indent) }.joined(separator: "\n")
        case let s as ScanOp:
            return indent + "scan \(position(s.subject)) \(position(s.predicate)) \(position(s.object))"
        case let p as PathOp: return indent + "path \(position(p.subject)) \(position(p.object))"
        case is FilterOp: return indent + "filter"
        case let e as ExtendOp: return indent + "extend ?\(e.slot)"
        case is ValuesOp: return indent + "values"
        case let u as UnionOp:
            return indent + "union\n" + u.branches.map { $0.explain(ctx, indent: next) }.joined(separator: "\n")
        case let l as LeftJoinOp: return indent + "optional\n" + l.right.explain(ctx, indent: next)
        case let g as GraphOp: return indent + "graph ?\(g.variable)\n" + g.child.explain(ctx, indent: next)
        case let g as GroupOp: return indent + "group\n" + g.child.explain(ctx, indent: next)
        case is TableJoinOp: return indent + "hash join (materialised)"
        case is MinusOp: return indent + "minus (materialised)"
        default: return indent + "\(type(of: self))"
        }
    }
}

"""Engine-neutral SPARQL result rows, to compare answers of different engines (sparql_bench.py and
Tests/Integration/test_sparql_differential.py).

A term becomes a tuple:
  ("iri", value) · ("bnode",) (labels are local to one result, so all blank nodes compare equal) ·
  ("literal", lexical, datatype, lang) · ("undef",) for an unbound variable.
A literal without datatype or language is an xsd:string (RDF 1.1); a language tag is lower-cased (BCP 47 is
case-insensitive) and its datatype is rdf:langString. Numeric literals (xsd:integer, xsd:decimal and their derived
types, xsd:double, xsd:float) are compared by value within their datatype, because engines write computed values
(SUM, arithmetic) and stored ones in different but equal lexical forms ("0.0150" / "0.015", "1.0E0" / "1"); every
other literal is compared by its exact lexical form.
"""
import decimal
import hashlib
import re

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
EXACT_NUMERIC = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger",
                                   "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
                                   "unsignedInt", "unsignedShort", "unsignedByte")}
FLOATING = {XSD + "double", XSD + "float"}
UNDEF = ("undef",)


def literal(lexical, datatype=None, lang=None):
    if lang:
        return ("literal", lexical, LANG_STRING, lang.lower())
    datatype = datatype or XSD_STRING
    if datatype in EXACT_NUMERIC:
        try:
            value = decimal.Decimal(lexical.strip())
            value = value.quantize(1) if value == value.to_integral_value() else value.normalize()
            return ("literal", format(value, "f"), datatype, None)
        except decimal.InvalidOperation:
            pass
    elif datatype in FLOATING:
        try:
            return ("literal", repr(float(lexical.strip())), datatype, None)
        except ValueError:
            pass
    return ("literal", lexical, datatype, None)


def from_json(binding):
    """A term of SPARQL 1.1 Query Results JSON (§3.2.2), or None → undef."""
    if binding is None:
        return UNDEF
    kind = binding["type"]
    if kind == "uri":
        return ("iri", binding["value"])
    if kind == "bnode":
        return ("bnode",)
    if kind in ("literal", "typed-literal"):
        return literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))
    raise ValueError(f"unknown term type {kind!r}")


def from_xml(binding, ns="{http://www.w3.org/2005/sparql-results#}"):
    """A term of SPARQL Query Results XML (§2.3.1): the <binding> element, or None → undef."""
    if binding is None:
        return UNDEF
    child = binding[0]
    tag = child.tag.replace(ns, "")
    if tag == "uri":
        return ("iri", child.text or "")
    if tag == "bnode":
        return ("bnode",)
    if tag == "literal":
        return literal(child.text or "", child.get("datatype"),
                       child.get("{http://www.w3.org/XML/1998/namespace}lang"))
    raise ValueError(f"unknown term element {tag!r}")


def from_rdflib(term):
    if term is None:
        return UNDEF
    import rdflib
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if isinstance(term, rdflib.BNode):
        return ("bnode",)
    if isinstance(term, rdflib.Literal):
        return literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    raise ValueError(f"unknown rdflib term {term!r}")


def from_oxigraph(term):
    if term is None:
        return UNDEF
    import pyoxigraph
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("bnode",)
    if isinstance(term, pyoxigraph.Literal):
        return literal(term.value, term.datatype.value if term.datatype else None, term.language)
    raise ValueError(f"unknown pyoxigraph term {term!r}")


def digest(rows, ordered=False):
    """A short hash of rows: as a multiset (sorted) unless `ordered`."""
    items = [repr(r) for r in rows]
    if not ordered:
        items.sort()
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]


def has_order_by(query):
    """Whether the query's solution order is significant (an ORDER BY outside comments)."""
    text = " ".join(re.split(r"(?:^|\s)#", line, maxsplit=1)[0] for line in query.splitlines())
    return "ORDER BY" in " ".join(text.upper().split())

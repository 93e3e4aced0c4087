/** RDF terms, in the shape rdf-canonize takes: shared by the JSON-LD fast path and RDFC-1.0. */

export interface NamedNode {
  termType: 'NamedNode';
  value: string;
}
export interface BlankNode {
  termType: 'BlankNode';
  value: string;
}
export interface Literal {
  termType: 'Literal';
  value: string;
  datatype: NamedNode;
  language?: string;
}
export interface DefaultGraph {
  termType: 'DefaultGraph';
  value: '';
}
export interface Quad {
  subject: NamedNode | BlankNode;
  predicate: NamedNode;
  object: NamedNode | BlankNode | Literal;
  graph: NamedNode | BlankNode | DefaultGraph;
}

/** Raised only for a malformed AST or context (bad_ast, unknown_function, arity, bad_timezone, too_deep). */
export class ExpressionError extends Error {
  code: string;
  constructor(message: string, code = "error") {
    super(message);
    this.code = code;
    this.name = "ExpressionError";
  }
}

"""Pratt parser: source text -> JSON AST (plain dicts, lists, str, numbers, bools, None).

Binding powers follow XPath 1.0: or < and < equality < relational < additive < multiplicative <
unary minus. All binary operators are left-associative. ``and``/``or`` chains are flattened into one
n-ary node. The AST shape is documented in docs/expressions.md.
"""

from __future__ import annotations

import difflib

from .errors import ExpressionSyntaxError
from .functions import FUNCTIONS
from .lexer import Token, tokenize

# Counts every AST level (a chain a + b + c is two levels, parentheses add none). The Python
# evaluator uses at most three frames per level, so evaluation stays far below the default recursion
# limit of 1000 even when called from a deep stack.
MAX_DEPTH = 100

# Binding power of each binary operator (higher binds tighter); also used to print ASTs.
BINDING_POWER = {
    "or": 10,
    "and": 20,
    "=": 30,
    "!=": 30,
    "<": 40,
    "<=": 40,
    ">": 40,
    ">=": 40,
    "+": 50,
    "-": 50,
    "*": 60,
    "div": 60,
    "mod": 60,
}
_WORD_OPERATORS = {"and", "or", "div", "mod"}
_UNARY_BP = 60  # operand of unary minus binds tighter than any binary operator


def parse(source: str) -> dict:
    """Parse an expression into its JSON AST. Raises ExpressionSyntaxError."""
    return _Parser(tokenize(source)).parse_all()


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.depth: dict[int, int] = {}

    # -- helpers -----------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def node(self, col: int, node: dict, *children: dict) -> dict:
        d = 1 + max((self.depth[id(c)] for c in children), default=0)
        if d > MAX_DEPTH:
            raise ExpressionSyntaxError(
                f"The expression is nested too deeply (more than {MAX_DEPTH} levels); "
                "split it into several calculations",
                col,
                None,
                "too_deep",
            )
        self.depth[id(node)] = d
        return node

    def binary_op(self, tok: Token) -> str | None:
        if tok.kind == "op" or (tok.kind == "name" and tok.value in _WORD_OPERATORS):
            return tok.value
        return None

    # -- grammar -----------------------------------------------------------------------------
    def parse_all(self) -> dict:
        if self.peek().kind == "eof":
            raise ExpressionSyntaxError("The expression is empty", 1, "expression")
        result = self.expression(0, 1)
        tok = self.peek()
        if tok.kind != "eof":
            if tok.kind == "rparen":
                raise ExpressionSyntaxError("This ')' has no matching '('", tok.col, "end of expression")
            raise self.after_value(tok, "Expected an operator or the end of the expression")
        return result

    def after_value(self, tok: Token, what: str, expected: str = "operator") -> ExpressionSyntaxError:
        """Error for a token that cannot follow a complete value."""
        if tok.kind == "name" and tok.value.lower() in _WORD_OPERATORS:
            return ExpressionSyntaxError(
                f"Unknown word '{tok.value}'; operators are written in lower case: '{tok.value.lower()}'",
                tok.col,
                "operator",
            )
        return ExpressionSyntaxError(f"{what}, found {tok.describe()}", tok.col, expected)

    def expression(self, rbp: int, nesting: int) -> dict:
        # ``nesting`` bounds recursion before any node exists (e.g. "((((((...").
        if nesting > MAX_DEPTH:
            raise ExpressionSyntaxError(
                f"The expression is nested too deeply (more than {MAX_DEPTH} levels)",
                self.peek().col,
                None,
                "too_deep",
            )
        left = self.prefix(nesting)
        while True:
            tok = self.peek()
            fn = self.binary_op(tok)
            if fn is None or BINDING_POWER[fn] <= rbp:
                return left
            self.advance()
            right = self.expression(BINDING_POWER[fn], nesting + 1)
            if fn in ("and", "or"):
                if left.get("op") == fn:
                    left["args"].append(right)
                    self.depth[id(left)] = max(self.depth[id(left)], 1 + self.depth[id(right)])
                    if self.depth[id(left)] > MAX_DEPTH:
                        self.node(tok.col, {}, left)  # raises too_deep
                else:
                    left = self.node(tok.col, {"op": fn, "args": [left, right]}, left, right)
            else:
                left = self.node(tok.col, {"op": "bin", "fn": fn, "left": left, "right": right}, left, right)

    def prefix(self, nesting: int) -> dict:
        tok = self.advance()
        kind = tok.kind
        if kind in ("num", "str"):
            return self.node(tok.col, {"op": "lit", "value": tok.value})
        if kind == "ref":
            return self.node(tok.col, {"op": "ref", "key": tok.value})
        if kind == "dot":
            return self.node(tok.col, {"op": "cur"})
        if kind == "op" and tok.value == "-":
            operand = self.expression(_UNARY_BP, nesting + 1)
            if operand.get("op") == "lit" and isinstance(operand["value"], int | float):
                folded = {"op": "lit", "value": -operand["value"] if operand["value"] else 0}
                return self.node(tok.col, folded)
            return self.node(tok.col, {"op": "neg", "arg": operand}, operand)
        if kind == "lparen":
            inner = self.expression(0, nesting + 1)
            self.expect_close(tok, "(", "')'")
            return inner
        if kind == "name":
            if self.peek().kind == "lparen":
                return self.call(tok, nesting)
            raise self.bare_word(tok)
        if kind == "eof":
            raise ExpressionSyntaxError("Expected a value, found end of expression", tok.col, "expression")
        if kind == "op" or kind == "comma" or kind == "rparen":
            raise ExpressionSyntaxError(f"Expected a value, found {tok.describe()}", tok.col, "expression")
        raise ExpressionSyntaxError(f"Unexpected {tok.describe()}", tok.col, "expression")

    def bare_word(self, tok: Token) -> ExpressionSyntaxError:
        word = tok.value
        if word in _WORD_OPERATORS:
            return ExpressionSyntaxError(f"Expected a value before '{word}'", tok.col, "expression")
        if word in ("true", "false"):
            return ExpressionSyntaxError(f"Write {word}() with parentheses", tok.col, "'('")
        if word.lower() in _WORD_OPERATORS:
            return ExpressionSyntaxError(
                f"Unknown word '{word}'; operators are written in lower case: '{word.lower()}'",
                tok.col,
                "operator",
            )
        return ExpressionSyntaxError(
            f"Unknown word '{word}'. Refer to a field as ${{{word}}} and put text in quotes: '{word}'",
            tok.col,
            "expression",
        )

    def expect_close(self, opener: Token, label: str, expected: str) -> None:
        tok = self.peek()
        if tok.kind != "rparen":
            raise self.after_value(
                tok, f"Expected ')' to close '{label}' opened at column {opener.col}", expected
            )
        self.advance()

    def call(self, name_tok: Token, nesting: int) -> dict:
        name = name_tok.value
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise ExpressionSyntaxError(
                _unknown_function_message(name), name_tok.col, "function name", "unknown_function"
            )
        self.advance()  # '('
        label = f"{name}("
        args: list[dict] = []
        arg_cols: list[int] = []
        if self.peek().kind != "rparen":
            while True:
                arg_cols.append(self.peek().col)
                args.append(self.expression(0, nesting + 1))
                if self.peek().kind == "comma":
                    self.advance()
                    continue
                break
            if self.peek().kind != "rparen":
                raise self.after_value(
                    self.peek(),
                    f"Expected ')' to close '{label}' opened at column {name_tok.col}",
                    "',' or ')'",
                )
        self.advance()
        _check_arity(spec, len(args), name_tok.col)
        if spec.validate is not None:
            problem = spec.validate(args)
            if problem is not None:
                index, message, code = problem
                raise ExpressionSyntaxError(message, arg_cols[index], None, code)
        return self.node(name_tok.col, {"op": "call", "fn": name, "args": args}, *args)


def _unknown_function_message(name: str) -> str:
    message = f"Unknown function '{name}'"
    close = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
    if not close:
        close = [f for f in FUNCTIONS if f.lower() == name.lower()]
    if close:
        message += f". Did you mean '{close[0]}'?"
    return message


def _plural(n: int) -> str:
    return f"{n} argument" if n == 1 else f"{n} arguments"


def _check_arity(spec, given: int, col: int) -> None:
    lo, hi = spec.min_args, spec.max_args
    if lo <= given and (hi is None or given <= hi):
        return
    if hi == 0:
        wanted = "takes no arguments"
    elif hi is None:
        wanted = f"needs at least {_plural(lo)}"
    elif lo == hi:
        wanted = f"needs exactly {_plural(lo)}"
    else:
        wanted = f"takes {lo} to {_plural(hi)}"
    raise ExpressionSyntaxError(
        f"Function '{spec.name}' {wanted}, but {given} {'was' if given == 1 else 'were'} given",
        col,
        None,
        "arity",
    )

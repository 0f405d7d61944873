"""Expression language: conformance vectors (shared with the TypeScript evaluator) plus parser,
analysis and limit tests. Runs without Django."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from kinga.formengine.expressions import (
    FUNCTIONS,
    MAX_DEPTH,
    EvalContext,
    ExpressionError,
    ExpressionSyntaxError,
    evaluate,
    functions_used,
    parse,
    references,
    to_bool,
)

VECTORS_FILE = Path(__file__).with_name("expression_vectors.json")
DOC = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
VECTORS = DOC["vectors"]
TOLERANCE = 1e-9


def same(actual, expected) -> bool:
    """The vector file's equality: numbers within 1e-9 (int/float alike), everything else exact."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and actual == expected
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(actual, expected, rel_tol=0, abs_tol=TOLERANCE)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected, strict=True))
    return type(actual) is type(expected) and actual == expected


def context(vec: dict) -> EvalContext:
    return EvalContext(
        data=vec.get("data", {}),
        row=vec.get("row"),
        parents=vec.get("parents", {}),
        current=vec.get("current"),
        now=datetime.fromisoformat(vec["now"]),
        tz=vec.get("tz", "UTC"),
        user=vec.get("user", {}),
        linked=vec.get("linked", {}),
    )


def test_vector_file_shape():
    assert DOC["version"] == 1
    assert len(VECTORS) >= 350
    ids = [v["id"] for v in VECTORS]
    assert len(ids) == len(set(ids)), "vector ids must be unique"
    for vec in VECTORS:
        assert ("expect" in vec) != ("error" in vec), vec["id"]
        assert "now" in vec, vec["id"]


@pytest.mark.parametrize("vec", VECTORS, ids=[v["id"] for v in VECTORS])
def test_vector(vec):
    if "error" in vec:
        with pytest.raises(ExpressionSyntaxError) as info:
            parse(vec["expr"])
        err = info.value
        assert err.code == vec["error"], err
        if "column" in vec:
            assert err.column == vec["column"], err
        if "expected" in vec:
            assert err.expected == vec["expected"], err
        return
    ast = parse(vec["expr"])
    assert ast == vec["ast"], (
        "the parser's output for this expression changed; if intended, set this vector's 'ast' to parse(expr)"
    )
    assert json.loads(json.dumps(ast)) == ast
    result = evaluate(vec["ast"], context(vec))
    assert same(result, vec["expect"]), f"{vec['expr']!r} gave {result!r}, expected {vec['expect']!r}"


def test_every_function_has_a_vector():
    used: set[str] = set()
    for vec in VECTORS:
        if "ast" in vec:
            used |= functions_used(vec["ast"])
    assert set(FUNCTIONS) - used == set()


def test_every_operator_has_a_vector():
    ops = set()
    for vec in VECTORS:
        stack = [vec.get("ast")]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ops.add(node.get("fn") if node["op"] == "bin" else node["op"])
                stack.extend(v for v in node.values() if isinstance(v, dict))
                stack.extend(a for v in node.values() if isinstance(v, list) for a in v)
    expected = {"+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">="}
    assert expected | {"lit", "ref", "cur", "neg", "and", "or", "call"} <= ops


# -- parse errors ----------------------------------------------------------------------------


def test_unclosed_call_message_names_the_call_and_both_columns():
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("${a} + concat('x', ${b}")
    err = info.value
    assert err.message == "Expected ')' to close 'concat(' opened at column 8, found end of expression"
    assert err.column == 24
    assert err.expected == "',' or ')'"
    assert str(err).endswith("(column 24)")
    assert "column 8" in str(err)


def test_unknown_function_names_it_and_suggests():
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("1 + sume(${a})")
    err = info.value
    assert err.code == "unknown_function"
    assert err.column == 5
    assert "'sume'" in err.message and "Did you mean 'sum'?" in err.message


def test_function_names_are_case_sensitive():
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("Today()")
    assert info.value.code == "unknown_function"
    assert "today" in info.value.message


def test_arity_message():
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("if(${a}, 1)")
    err = info.value
    assert err.code == "arity" and err.column == 1
    assert err.message == "Function 'if' needs exactly 3 arguments, but 2 were given"
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("round(1, 2, 3)")
    assert info.value.message == "Function 'round' takes 1 to 2 arguments, but 3 were given"
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("today(1)")
    assert info.value.message == "Function 'today' takes no arguments, but 1 was given"
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("concat()")
    assert info.value.message == "Function 'concat' needs at least 1 argument, but 0 were given"


def test_helpful_messages_for_common_mistakes():
    cases = {
        "${a} == 1": "single '='",
        "age > 3": "${age}",
        "${a} > 1 AND ${b}": "lower case",
        "\u2018yes\u2019": "straight quote",
        "7 / 2": "'div'",
    }
    for source, fragment in cases.items():
        with pytest.raises(ExpressionSyntaxError) as info:
            parse(source)
        assert fragment in info.value.message, (source, info.value.message)


def test_syntax_error_is_an_expression_error():
    with pytest.raises(ExpressionError):
        parse("regex(., '(')")


def test_regex_literal_checked_at_parse_time_only_when_literal():
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("regex(${phone}, '[0-9')")
    assert info.value.code == "regex" and info.value.column == 17
    parse("regex(${phone}, ${pattern})")


# -- limits ----------------------------------------------------------------------------------


def test_length_limit():
    parse("'" + "a" * 9998 + "'")
    with pytest.raises(ExpressionSyntaxError) as info:
        parse("'" + "a" * 9999 + "'")
    assert info.value.code == "too_long"


@pytest.mark.parametrize(
    "source,allowed",
    [
        ("(" * 4000 + "1" + ")" * 4000, False),
        ("-" * 9000 + "1", False),
        ("1" + "+1" * 4000, False),
        ("not(" * 1500 + "1" + ")" * 1500, False),
        ("concat(" * 1000 + "'a'" + ")" * 1000, False),
        ("1" + " and 1" * 1500, True),  # and/or chains are one flat n-ary node
    ],
    ids=["parens", "minus", "plus-chain", "calls", "concat", "and-chain"],
)
def test_hostile_nesting_is_a_syntax_error_not_a_recursion_error(source, allowed):
    if allowed:
        assert evaluate(parse(source)) is True
        return
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(source)
    assert info.value.code == "too_deep"


def test_depth_boundary():
    ok = "1" + "+1" * (MAX_DEPTH - 1)  # MAX_DEPTH terms: MAX_DEPTH - 1 levels of '+' plus the literal
    assert evaluate(parse(ok)) == MAX_DEPTH
    with pytest.raises(ExpressionSyntaxError):
        parse(ok + "+1")


def test_hand_made_deep_ast_does_not_crash_evaluate_or_analysis():
    node: dict = {"op": "lit", "value": 1}
    for _ in range(5000):
        node = {"op": "neg", "arg": node}
    assert references(node) == set()
    with pytest.raises(ExpressionError):
        evaluate(node)


def test_malformed_ast_raises_expression_error():
    for bad in (
        {"op": "nope"},
        {"op": "bin", "fn": "^", "left": {"op": "lit", "value": 1}, "right": {"op": "lit", "value": 1}},
        {"op": "call", "fn": "no-such-fn", "args": []},
        {"op": "ref"},
        "text",
    ):
        with pytest.raises(ExpressionError):
            evaluate(bad)


# -- analysis --------------------------------------------------------------------------------


def test_references_and_functions_used():
    ast = parse("if(selected(${m}, 'a') and ${age} > 5, concat(${first}, ' ', ${last}), sum(${hh_age}))")
    assert references(ast) == {"m", "age", "first", "last", "hh_age"}
    assert functions_used(ast) == {"if", "selected", "concat", "sum"}
    assert references(parse(". > 3")) == set()
    assert references(parse("'${not_a_ref}'")) == set()


def test_ast_is_plain_json():
    ast = parse("-${a} * 2 div 3 mod 4 + concat('x', .) = 'y' or not(true())")
    assert json.loads(json.dumps(ast)) == ast


# -- evaluation details not expressible in JSON vectors --------------------------------------


def test_python_date_objects_in_data():
    ctx = EvalContext(
        data={"dob": date(2010, 3, 16), "seen": datetime(2026, 3, 14, 23, 0, tzinfo=UTC)},
        now=datetime(2026, 3, 15, 10, tzinfo=UTC),
    )
    assert evaluate(parse("age(${dob})"), ctx) == 15
    assert evaluate(parse("${seen} < today()"), ctx) is True
    assert evaluate(parse("string(${dob})"), ctx) == "2010-03-16"
    assert evaluate(parse("date-time(${seen})"), ctx) == "2026-03-14T23:00:00.000+00:00"


def test_decimal_values_from_a_database_are_numbers():
    ctx = EvalContext(data={"a": Decimal("2.50"), "b": Decimal("3")})
    assert evaluate(parse("${a} * ${b}"), ctx) == 7.5
    assert evaluate(parse("concat(${a}, '/', ${b})"), ctx) == "2.5/3"
    assert evaluate(parse("${a} = 2.5"), ctx) is True


def test_default_context_and_naive_now():
    assert evaluate(parse("1 + 1")) == 2
    ctx = EvalContext(now=datetime(2026, 3, 15, 23, 30))  # naive: taken as UTC
    assert evaluate(parse("today()"), ctx) == "2026-03-15"


def test_bad_time_zone_is_a_programming_error():
    with pytest.raises(ExpressionError) as info:
        evaluate(parse("today()"), EvalContext(tz="Mars/Olympus"))
    assert info.value.code == "bad_timezone"


def test_to_bool():
    for value in (None, "", [], 0, 0.0, False):
        assert to_bool(value) is False
    for value in ("false", "no", "0", " ", 1, -0.5, True, ["a"], "x"):
        assert to_bool(value) is True


def test_registry_entries_are_documented():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "expressions.md").read_text(encoding="utf-8")
    for name, spec in FUNCTIONS.items():
        assert spec.name == name
        assert spec.description and spec.min_args >= 0
        assert spec.max_args is None or spec.max_args >= spec.min_args
        assert f"`{name}(" in docs, f"{name} is missing from docs/expressions.md"


def test_integral_results_are_ints():
    assert type(evaluate(parse("4 div 2"))) is int
    assert type(evaluate(parse("2.5 * 2"))) is int
    assert type(evaluate(parse("5 div 2"))) is float
    assert type(evaluate(parse("round(2.5)"))) is int


def test_deepest_allowed_expression_evaluates_from_a_deep_call_stack():
    source = "if(true(), " * (MAX_DEPTH - 1) + "1" + ", 0)" * (MAX_DEPTH - 1)
    ast = parse(source)

    def call_from_depth(n):
        return call_from_depth(n - 1) if n else evaluate(ast)

    assert call_from_depth(500) == 1

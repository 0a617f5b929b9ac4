/**
 * CST visitor producing the plain AST of `ast/nodes.ts`. No chevrotain type escapes this
 * file: every node is a plain readonly object with a span.
 *
 * Checks the grammar cannot express live here: type names, duplicate dict keys and closure
 * params, list/dict mixing, number range, and `-> [i]` meaning an index of the piped value.
 */
import type { CstChildrenDictionary, CstElement, CstNode, IToken } from 'chevrotain';
import {
  isTypeName,
  RillParseError,
  type ErrorCode,
  type RillTypeName,
  type SourceInfo,
  type SourcePosition,
  type SourceSpan,
} from '@rillkit/core';
import type {
  AnyNode,
  BinaryOperator,
  ClosureNode,
  CollectionOperator,
  DictEntryNode,
  ExpressionNode,
  ParamNode,
  PipeStepNode,
  CaptureStepNode,
  StringNode,
} from '../ast/nodes.js';
import * as T from '../lexer/tokens.js';
import type { SourceLines } from '../lexer/positions.js';
import type { StringPayload } from '../lexer/string-scanner.js';
import { MAX_NESTING } from '../lexer/line-rules.js';
import { rillParser } from './parser.js';
import type { NodeBudget } from './node-budget.js';

/**
 * Parses the text of one `{expr}` interpolation. `start` is where the text begins and
 * `close` where its closing `}` sits, both in script coordinates.
 */
export type InterpolationParser = (
  text: string,
  start: SourcePosition,
  close: SourcePosition,
) => ExpressionNode;

/** How a postfix-level expression is being used: pipe targets give `$fn` and `[i]` their own meaning. */
type Position = 'expression' | 'target';

/** A parsed postfix operator, applied to its receiver once that is known. */
interface Suffix {
  readonly first: IToken;
  readonly last: IToken;
  apply(object: ExpressionNode): ExpressionNode;
}

interface CollectionItem {
  readonly key: { readonly text: string; readonly span: SourceSpan } | undefined;
  readonly value: ExpressionNode;
}

/**
 * Longest run of binary operators in one expression. Each makes the left-leaning tree one
 * level deeper, and evaluators recurse over it.
 */
const MAX_OPERATOR_CHAIN = 1000;

/** Binding strength of each binary operator; all are left-associative. */
const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  '*': 7,
  '/': 7,
  '%': 7,
  '+': 6,
  '-': 6,
  '<': 5,
  '>': 5,
  '<=': 5,
  '>=': 5,
  '==': 4,
  '!=': 4,
  '&&': 3,
  '||': 2,
  '??': 1,
};

const BaseVisitor = rillParser.getBaseCstVisitorConstructor<Position | undefined, unknown>();

const NONE: readonly CstElement[] = Object.freeze([]);

function children(ctx: CstChildrenDictionary, key: string): readonly CstElement[] {
  return ctx[key] ?? NONE;
}

function nodeAt(ctx: CstChildrenDictionary, key: string, index = 0): CstNode | undefined {
  return children(ctx, key)[index] as CstNode | undefined;
}

function tokenAt(ctx: CstChildrenDictionary, key: string, index = 0): IToken | undefined {
  return children(ctx, key)[index] as IToken | undefined;
}

function spanFrom(
  start: { readonly span: SourceSpan } | SourceSpan,
  end: { readonly span: SourceSpan } | SourceSpan,
): SourceSpan {
  const a = 'span' in start ? start.span : start;
  const b = 'span' in end ? end.span : end;
  return { start: a.start, end: b.end };
}

/** Builds the AST for one parse; interpolations re-enter through `parseInterpolation`. */
export class AstBuilder extends BaseVisitor {
  constructor(
    private readonly source: SourceInfo,
    private readonly parseInterpolation: InterpolationParser,
    private readonly budget: NodeBudget,
    private readonly lines: SourceLines,
  ) {
    super();
  }

  // ------------------------------------------------------------ helpers

  /** Every node is made through here, so the `maxNodes` count is exact. */
  private node<N extends AnyNode>(node: N): N {
    this.budget.take(node.span);
    return node;
  }

  private fail(
    code: ErrorCode,
    message: string,
    span: SourceSpan,
    details: Record<string, unknown> = {},
  ): never {
    throw new RillParseError(code, message, { details, span, source: this.source });
  }

  private expr(node: CstNode | undefined, position?: Position): ExpressionNode {
    if (node === undefined) throw new TypeError('AstBuilder: missing CST child');
    return this.visit(node, position) as ExpressionNode;
  }

  private optionalExpr(node: CstNode | undefined): ExpressionNode | undefined {
    return node === undefined ? undefined : this.expr(node);
  }

  private typeName(token: IToken): RillTypeName {
    if (isTypeName(token.image)) return token.image;
    return this.fail(
      'PARSE_UNKNOWN_TYPE',
      `unknown type name '${token.image}'`,
      this.lines.span(token),
      {
        expected: ['string', 'number', 'bool', 'list', 'dict', 'closure', 'any'],
        found: token.image,
      },
    );
  }

  private memberName(token: IToken): string {
    if (token.image.includes('::')) {
      this.fail(
        'PARSE_UNEXPECTED_TOKEN',
        `expected a field or method name, found '${token.image}'`,
        this.lines.span(token),
        {
          expected: ['a field or method name'],
          found: `'${token.image}'`,
        },
      );
    }
    return token.image;
  }

  // ------------------------------------------------------------ statements

  script(ctx: CstChildrenDictionary): ExpressionNode[] {
    const statements = nodeAt(ctx, 'statements');
    return statements === undefined ? [] : (this.visit(statements) as ExpressionNode[]);
  }

  interpolation(ctx: CstChildrenDictionary): ExpressionNode {
    return this.expr(nodeAt(ctx, 'pipeExpression'));
  }

  statements(ctx: CstChildrenDictionary): ExpressionNode[] {
    return children(ctx, 'statement').map((node) => this.expr(node as CstNode));
  }

  statement(ctx: CstChildrenDictionary): ExpressionNode {
    return this.expr(
      nodeAt(ctx, 'controlStatement') ?? nodeAt(ctx, 'assertion') ?? nodeAt(ctx, 'pipeExpression'),
    );
  }

  controlStatement(ctx: CstChildrenDictionary): ExpressionNode {
    return this.control(ctx);
  }

  controlExpression(ctx: CstChildrenDictionary): ExpressionNode {
    return this.control(ctx);
  }

  private control(ctx: CstChildrenDictionary): ExpressionNode {
    const operand = this.optionalExpr(nodeAt(ctx, 'operand'));
    const breakToken = tokenAt(ctx, 'BreakKeyword');
    const returnToken = tokenAt(ctx, 'ReturnKeyword');
    const keyword = breakToken ?? returnToken ?? tokenAt(ctx, 'ErrorKeyword');
    if (keyword === undefined) throw new TypeError('AstBuilder: control keyword missing');
    const span =
      operand === undefined
        ? this.lines.span(keyword)
        : spanFrom(this.lines.span(keyword), operand);
    if (breakToken !== undefined) return this.node({ type: 'Break', value: operand, span });
    if (returnToken !== undefined) return this.node({ type: 'Return', value: operand, span });
    return this.node({ type: 'Error', message: operand, span });
  }

  assertion(ctx: CstChildrenDictionary): ExpressionNode {
    const keyword = tokenAt(ctx, 'AssertKeyword');
    if (keyword === undefined) throw new TypeError('AstBuilder: assert keyword missing');
    const condition = this.expr(nodeAt(ctx, 'condition'));
    const message = this.optionalExpr(nodeAt(ctx, 'message'));
    return this.node({
      type: 'Assert',
      condition,
      message,
      span: spanFrom(this.lines.span(keyword), message ?? condition),
    });
  }

  // ------------------------------------------------------------ pipes

  pipeExpression(ctx: CstChildrenDictionary): ExpressionNode {
    const head = this.expr(nodeAt(ctx, 'head'));
    const stepNodes = children(ctx, 'pipeStep');
    if (stepNodes.length === 0) return head;
    const steps = stepNodes.map(
      (node) => this.visit(node as CstNode) as PipeStepNode | CaptureStepNode,
    );
    const last = steps[steps.length - 1] ?? head;
    return this.node({ type: 'Pipe', head, steps, span: spanFrom(head, last) });
  }

  pipeStep(ctx: CstChildrenDictionary): PipeStepNode | CaptureStepNode {
    const arrow = tokenAt(ctx, 'Arrow');
    if (arrow !== undefined) {
      let target = this.expr(nodeAt(ctx, 'pipeTarget'));
      const thenNode = nodeAt(ctx, 'then');
      if (thenNode !== undefined) {
        const then = this.expr(thenNode);
        const otherwise = this.optionalExpr(nodeAt(ctx, 'else'));
        target = this.node({
          type: 'Conditional',
          condition: target,
          then,
          else: otherwise,
          span: spanFrom(target, otherwise ?? then),
        });
      }
      return this.node({
        type: 'PipeStep',
        target,
        span: spanFrom(this.lines.span(arrow), target),
      });
    }
    const fatArrow = tokenAt(ctx, 'FatArrow');
    const variable = tokenAt(ctx, 'Variable');
    if (fatArrow === undefined || variable === undefined)
      throw new TypeError('AstBuilder: malformed pipe step');
    return this.node({
      type: 'CaptureStep',
      name: variable.image.slice(1),
      span: this.lines.span(fatArrow, variable),
    });
  }

  pipeTarget(ctx: CstChildrenDictionary): ExpressionNode {
    const postfix = nodeAt(ctx, 'postfixExpression');
    if (postfix !== undefined) return this.expr(postfix, 'target');
    const node =
      nodeAt(ctx, 'implicitChain') ??
      nodeAt(ctx, 'pipedConditional') ??
      nodeAt(ctx, 'doWhileLoop') ??
      nodeAt(ctx, 'groupedTarget') ??
      nodeAt(ctx, 'collectionOperation') ??
      nodeAt(ctx, 'assertion') ??
      nodeAt(ctx, 'controlExpression');
    return this.expr(node);
  }

  implicitChain(ctx: CstChildrenDictionary): ExpressionNode {
    const leading = this.visit(nodeAt(ctx, 'leadingSuffix') as CstNode) as Suffix;
    const receiver: ExpressionNode = this.node({
      type: 'PipeValue',
      implicit: true,
      span: this.lines.span(leading.first, leading.last),
    });
    return this.applySuffixes(leading.apply(receiver), children(ctx, 'postfixOperator'));
  }

  leadingSuffix(ctx: CstChildrenDictionary): Suffix {
    return this.suffixOf(ctx);
  }

  pipedConditional(ctx: CstChildrenDictionary): ExpressionNode {
    const question = tokenAt(ctx, 'Question') as IToken;
    const then = this.expr(nodeAt(ctx, 'then'));
    const otherwise = this.optionalExpr(nodeAt(ctx, 'else'));
    return this.node({
      type: 'Conditional',
      condition: undefined,
      then,
      else: otherwise,
      span: spanFrom(this.lines.span(question), otherwise ?? then),
    });
  }

  doWhileLoop(ctx: CstChildrenDictionary): ExpressionNode {
    const at = tokenAt(ctx, 'At') as IToken;
    const body = this.expr(nodeAt(ctx, 'loopBody'));
    const condition = this.optionalExpr(nodeAt(ctx, 'condition'));
    return this.node({
      type: 'DoWhile',
      body,
      condition,
      span: spanFrom(this.lines.span(at), condition ?? body),
    });
  }

  groupedTarget(ctx: CstChildrenDictionary): ExpressionNode {
    const inner = this.expr(nodeAt(ctx, 'parenthesized'));
    const loopBody = nodeAt(ctx, 'loopBody');
    if (loopBody !== undefined) {
      const body = this.expr(loopBody);
      return this.node({ type: 'While', condition: inner, body, span: spanFrom(inner, body) });
    }
    return this.applySuffixes(inner, children(ctx, 'postfixOperator'));
  }

  loopBody(ctx: CstChildrenDictionary): ExpressionNode {
    return this.expr(nodeAt(ctx, 'block') ?? nodeAt(ctx, 'parenthesized'));
  }

  collectionOperation(ctx: CstChildrenDictionary): ExpressionNode {
    const keyword =
      tokenAt(ctx, 'EachKeyword') ??
      tokenAt(ctx, 'MapKeyword') ??
      tokenAt(ctx, 'FilterKeyword') ??
      tokenAt(ctx, 'FoldKeyword');
    if (keyword === undefined) throw new TypeError('AstBuilder: collection keyword missing');
    const operator = keyword.image as CollectionOperator;
    const lead = nodeAt(ctx, 'lead');
    const bodyNode = nodeAt(ctx, 'collectionBody') ?? nodeAt(ctx, 'bareCollectionBody');
    let init: ExpressionNode | undefined;
    let body: ExpressionNode;
    if (lead !== undefined && bodyNode === undefined) {
      body = this.expr(lead);
    } else {
      init = this.optionalExpr(lead ?? nodeAt(ctx, 'init'));
      body = this.expr(bodyNode);
    }
    return this.node({
      type: 'Collection',
      operator,
      init,
      body,
      span: spanFrom(this.lines.span(keyword), body),
    });
  }

  collectionBody(ctx: CstChildrenDictionary): ExpressionNode {
    return this.expr(nodeAt(ctx, 'bareCollectionBody') ?? nodeAt(ctx, 'parenthesized'));
  }

  bareCollectionBody(ctx: CstChildrenDictionary): ExpressionNode {
    const variable = tokenAt(ctx, 'Variable');
    if (variable !== undefined)
      return this.node({
        type: 'Variable',
        name: variable.image.slice(1),
        span: this.lines.span(variable),
      });
    const dollar = tokenAt(ctx, 'PipeValue');
    if (dollar !== undefined)
      return this.node({ type: 'PipeValue', implicit: false, span: this.lines.span(dollar) });
    return this.expr(
      nodeAt(ctx, 'block') ?? nodeAt(ctx, 'closure') ?? nodeAt(ctx, 'implicitChain'),
    );
  }

  // ------------------------------------------------------------ operators

  conditionalExpression(ctx: CstChildrenDictionary): ExpressionNode {
    const condition = this.operatorExpression(ctx);
    const thenNode = nodeAt(ctx, 'then');
    if (thenNode === undefined) return condition;
    const then = this.expr(thenNode);
    const otherwise = this.optionalExpr(nodeAt(ctx, 'else'));
    return this.node({
      type: 'Conditional',
      condition,
      then,
      else: otherwise,
      span: spanFrom(condition, otherwise ?? then),
    });
  }

  branch(ctx: CstChildrenDictionary): ExpressionNode {
    return this.expr(nodeAt(ctx, 'controlExpression') ?? nodeAt(ctx, 'conditionalExpression'));
  }

  /**
   * Prefix operators, operands and binary operators arrive flat, in source order;
   * precedence climbing builds the left-associative tree.
   */
  private operatorExpression(ctx: CstChildrenDictionary): ExpressionNode {
    const operandNodes = children(ctx, 'operand');
    const operators = children(ctx, 'operator') as readonly IToken[];
    const prefixes = children(ctx, 'prefix') as readonly IToken[];
    let nextPrefix = 0;
    // Operand i owns the prefix operators between binary operators i - 1 and i.
    const operandAt = (i: number): ExpressionNode => {
      const operand = this.expr(operandNodes[i] as CstNode);
      if (nextPrefix >= prefixes.length) return operand;
      const first = nextPrefix;
      const limit = operators[i]?.startOffset ?? Infinity;
      while (nextPrefix < prefixes.length && (prefixes[nextPrefix] as IToken).startOffset < limit)
        nextPrefix += 1;
      return this.applyPrefixes(operand, prefixes, first, nextPrefix);
    };

    const first = operandAt(0);
    if (operators.length === 0) return first;
    if (operators.length >= MAX_OPERATOR_CHAIN) {
      const at = operators[MAX_OPERATOR_CHAIN - 1] as IToken;
      this.fail(
        'PARSE_NESTING_TOO_DEEP',
        `more than ${MAX_OPERATOR_CHAIN} binary operators in one expression`,
        this.lines.span(at),
        {
          limit: MAX_OPERATOR_CHAIN,
        },
      );
    }
    const operands: ExpressionNode[] = [first];
    const pending: BinaryOperator[] = [];
    const reduce = (): void => {
      const right = operands.pop() as ExpressionNode;
      const left = operands.pop() as ExpressionNode;
      const operator = pending.pop() as BinaryOperator;
      operands.push(
        this.node({ type: 'Binary', operator, left, right, span: spanFrom(left, right) }),
      );
    };
    for (let i = 0; i < operators.length; i += 1) {
      const operator = (operators[i] as IToken).image as BinaryOperator;
      const precedence = PRECEDENCE[operator];
      while (
        pending.length > 0 &&
        PRECEDENCE[pending[pending.length - 1] as BinaryOperator] >= precedence
      )
        reduce();
      pending.push(operator);
      operands.push(operandAt(i + 1));
    }
    while (pending.length > 0) reduce();
    return operands[0] as ExpressionNode;
  }

  /** Applies `prefixes[from..to)` to `operand`, innermost (rightmost) first. */
  private applyPrefixes(
    operand: ExpressionNode,
    prefixes: readonly IToken[],
    from: number,
    to: number,
  ): ExpressionNode {
    if (to - from > MAX_NESTING) {
      this.fail(
        'PARSE_NESTING_TOO_DEEP',
        `more than ${MAX_NESTING} prefix operators in a row`,
        this.lines.span(prefixes[from + MAX_NESTING] as IToken),
        {
          limit: MAX_NESTING,
        },
      );
    }
    let result = operand;
    for (let i = to - 1; i >= from; i -= 1) {
      const operator = prefixes[i] as IToken;
      const span = spanFrom(this.lines.span(operator), result);
      // `-7` is a number literal to everyone reading it; keep it one.
      if (operator.image === '-' && result.type === 'Number')
        result = { type: 'Number', value: -result.value, span };
      else
        result = this.node({
          type: 'Unary',
          operator: operator.image === '!' ? '!' : '-',
          operand: result,
          span,
        });
    }
    return result;
  }

  // ------------------------------------------------------------ postfix

  postfixExpression(ctx: CstChildrenDictionary, position: Position = 'expression'): ExpressionNode {
    const primary = this.expr(nodeAt(ctx, 'primary'), position);
    return this.applySuffixes(primary, children(ctx, 'postfixOperator'));
  }

  private applySuffixes(object: ExpressionNode, suffixes: readonly CstElement[]): ExpressionNode {
    let result = object;
    for (const node of suffixes) result = (this.visit(node as CstNode) as Suffix).apply(result);
    return result;
  }

  postfixOperator(ctx: CstChildrenDictionary): Suffix {
    return this.suffixOf(ctx);
  }

  private suffixOf(ctx: CstChildrenDictionary): Suffix {
    const node =
      nodeAt(ctx, 'memberSuffix') ??
      nodeAt(ctx, 'existsSuffix') ??
      nodeAt(ctx, 'indexSuffix') ??
      nodeAt(ctx, 'typeSuffix');
    return this.visit(node as CstNode) as Suffix;
  }

  memberSuffix(ctx: CstChildrenDictionary): Suffix {
    const dot = tokenAt(ctx, 'Dot') as IToken;
    const nameToken = tokenAt(ctx, 'name') as IToken;
    const name = this.memberName(nameToken);
    const argsNode = nodeAt(ctx, 'callArguments');
    if (argsNode === undefined) {
      return {
        first: dot,
        last: nameToken,
        apply: (object) =>
          this.node({
            type: 'Member',
            object,
            name,
            span: { start: object.span.start, end: this.lines.end(nameToken) },
          }),
      };
    }
    const args = this.visit(argsNode) as ExpressionNode[];
    const close = tokenAt(argsNode.children, 'RParen') as IToken;
    return {
      first: dot,
      last: close,
      apply: (object) =>
        this.node({
          type: 'MethodCall',
          object,
          name,
          args,
          span: { start: object.span.start, end: this.lines.end(close) },
        }),
    };
  }

  existsSuffix(ctx: CstChildrenDictionary): Suffix {
    const dot = tokenAt(ctx, 'DotQuestion') as IToken;
    const nameToken = tokenAt(ctx, 'name') as IToken;
    const name = this.memberName(nameToken);
    return {
      first: dot,
      last: nameToken,
      apply: (object) =>
        this.node({
          type: 'Exists',
          object,
          name,
          span: { start: object.span.start, end: this.lines.end(nameToken) },
        }),
    };
  }

  indexSuffix(ctx: CstChildrenDictionary): Suffix {
    const open = tokenAt(ctx, 'LBracket') as IToken;
    const close = tokenAt(ctx, 'RBracket') as IToken;
    const index = this.expr(nodeAt(ctx, 'pipeExpression'));
    return {
      first: open,
      last: close,
      apply: (object) =>
        this.node({
          type: 'Index',
          object,
          index,
          span: { start: object.span.start, end: this.lines.end(close) },
        }),
    };
  }

  typeSuffix(ctx: CstChildrenDictionary): Suffix {
    const operator = tokenAt(ctx, 'operator') as IToken;
    const nameToken = tokenAt(ctx, 'typeName') as IToken;
    const target = this.typeName(nameToken);
    const type =
      operator.image === ':>' ? 'Convert' : operator.image === ':?' ? 'TypeCheck' : 'TypeAssert';
    return {
      first: operator,
      last: nameToken,
      apply: (object) =>
        this.node({
          type,
          object,
          target,
          span: { start: object.span.start, end: this.lines.end(nameToken) },
        }),
    };
  }

  // ------------------------------------------------------------ primaries

  primary(ctx: CstChildrenDictionary, position: Position = 'expression'): ExpressionNode {
    const string = tokenAt(ctx, 'StringLiteral');
    if (string !== undefined) return this.stringNode(string);
    const number = tokenAt(ctx, 'NumberLiteral');
    if (number !== undefined) return this.numberNode(number);
    const bool = tokenAt(ctx, 'TrueKeyword') ?? tokenAt(ctx, 'FalseKeyword');
    if (bool !== undefined)
      return this.node({ type: 'Bool', value: bool.image === 'true', span: this.lines.span(bool) });
    const dollar = tokenAt(ctx, 'PipeValue');
    if (dollar !== undefined)
      return this.node({ type: 'PipeValue', implicit: false, span: this.lines.span(dollar) });
    const accumulator = tokenAt(ctx, 'Accumulator');
    if (accumulator !== undefined)
      return this.node({ type: 'Accumulator', span: this.lines.span(accumulator) });
    const variable = tokenAt(ctx, 'Variable');
    if (variable !== undefined)
      return this.variableNode(variable, nodeAt(ctx, 'arguments'), position);
    const name = tokenAt(ctx, 'Identifier');
    if (name !== undefined) return this.callNode(name, nodeAt(ctx, 'arguments'));
    const literal = nodeAt(ctx, 'collectionLiteral');
    if (literal !== undefined) return this.expr(literal, position);
    return this.expr(
      nodeAt(ctx, 'parenthesized') ?? nodeAt(ctx, 'block') ?? nodeAt(ctx, 'closure'),
    );
  }

  private variableNode(
    token: IToken,
    argsNode: CstNode | undefined,
    position: Position,
  ): ExpressionNode {
    const callee: ExpressionNode = this.node({
      type: 'Variable',
      name: token.image.slice(1),
      span: this.lines.span(token),
    });
    if (argsNode !== undefined) {
      const args = this.visit(argsNode) as ExpressionNode[];
      const close = tokenAt(argsNode.children, 'RParen') as IToken;
      return this.node({
        type: 'Invoke',
        callee,
        args,
        hasParens: true,
        span: this.lines.span(token, close),
      });
    }
    // As a pipe target a bare `$fn` is called with `$`.
    if (position === 'target')
      return this.node({ type: 'Invoke', callee, args: [], hasParens: false, span: callee.span });
    return callee;
  }

  private callNode(token: IToken, argsNode: CstNode | undefined): ExpressionNode {
    if (argsNode === undefined)
      return this.node({
        type: 'Call',
        name: token.image,
        args: [],
        hasParens: false,
        span: this.lines.span(token),
      });
    const args = this.visit(argsNode) as ExpressionNode[];
    const close = tokenAt(argsNode.children, 'RParen') as IToken;
    return this.node({
      type: 'Call',
      name: token.image,
      args,
      hasParens: true,
      span: this.lines.span(token, close),
    });
  }

  callArguments(ctx: CstChildrenDictionary): ExpressionNode[] {
    return children(ctx, 'argument').map((node) => this.expr(node as CstNode));
  }

  parenthesized(ctx: CstChildrenDictionary): ExpressionNode {
    const inner = this.expr(nodeAt(ctx, 'pipeExpression'));
    // No Grouped node: the inner node stands for the group, spanning its parentheses.
    return {
      ...inner,
      span: this.lines.span(tokenAt(ctx, 'LParen') as IToken, tokenAt(ctx, 'RParen') as IToken),
    };
  }

  block(ctx: CstChildrenDictionary): ExpressionNode {
    const statements = nodeAt(ctx, 'statements');
    return this.node({
      type: 'Block',
      statements: statements === undefined ? [] : (this.visit(statements) as ExpressionNode[]),
      span: this.lines.span(tokenAt(ctx, 'LBrace') as IToken, tokenAt(ctx, 'RBrace') as IToken),
    });
  }

  closure(ctx: CstChildrenDictionary): ClosureNode {
    const open = tokenAt(ctx, 'OrOr') ?? (tokenAt(ctx, 'Bar') as IToken);
    const params: ParamNode[] = [];
    const seen = new Set<string>();
    for (const node of children(ctx, 'parameter')) {
      const param = this.visit(node as CstNode) as ParamNode;
      if (seen.has(param.name)) {
        const nameToken = tokenAt((node as CstNode).children, 'name') as IToken;
        this.fail(
          'PARSE_DUPLICATE_PARAM',
          `parameter '${param.name}' is declared twice`,
          this.lines.span(nameToken),
          {
            name: param.name,
          },
        );
      }
      seen.add(param.name);
      params.push(param);
    }
    const body = this.expr(nodeAt(ctx, 'body'));
    return this.node({
      type: 'Closure',
      params,
      body,
      span: spanFrom(this.lines.span(open), body),
    });
  }

  parameter(ctx: CstChildrenDictionary): ParamNode {
    const nameToken = tokenAt(ctx, 'name') as IToken;
    if (nameToken.image.includes('::')) {
      this.fail(
        'PARSE_UNEXPECTED_TOKEN',
        `expected a parameter name, found '${nameToken.image}'`,
        this.lines.span(nameToken),
        {
          expected: ['a parameter name'],
          found: `'${nameToken.image}'`,
        },
      );
    }
    const typeToken = tokenAt(ctx, 'typeName');
    const typeName = typeToken === undefined ? undefined : this.typeName(typeToken);
    const defaultValue = this.optionalExpr(nodeAt(ctx, 'default'));
    const endSpan = defaultValue?.span ?? this.lines.span(typeToken ?? nameToken);
    return this.node({
      type: 'Param',
      name: nameToken.image,
      typeName,
      default: defaultValue,
      span: spanFrom(this.lines.span(nameToken), endSpan),
    });
  }

  collectionLiteral(ctx: CstChildrenDictionary, position: Position = 'expression'): ExpressionNode {
    const prefix = tokenAt(ctx, 'prefix');
    const open = tokenAt(ctx, 'LBracket') as IToken;
    const close = tokenAt(ctx, 'RBracket') as IToken;
    const span = this.lines.span(prefix ?? open, close);
    const emptyDict = tokenAt(ctx, 'emptyDict');
    const items = children(ctx, 'collectionItem').map(
      (node) => this.visit(node as CstNode) as CollectionItem,
    );
    const first = items[0];

    if (emptyDict !== undefined && prefix?.image === 'list') {
      this.fail(
        'PARSE_MIXED_COLLECTION',
        "'list[' cannot hold the empty dict '[:]'; write 'list[]'",
        this.lines.span(emptyDict),
        {
          expected: ["']'"],
          found: "':'",
        },
      );
    }
    const isDict =
      emptyDict !== undefined ||
      prefix?.image === 'dict' ||
      (first?.key !== undefined && prefix === undefined);
    for (const item of items) {
      if ((item.key !== undefined) !== isDict) {
        const what = isDict
          ? 'a plain element in a dict literal'
          : 'a key: value entry in a list literal';
        this.fail(
          'PARSE_MIXED_COLLECTION',
          `${what}; a collection literal is either all entries or all elements`,
          item.key?.span ?? item.value.span,
          {
            expected: [isDict ? 'key: value' : 'an element'],
            found: item.key === undefined ? 'an element' : 'key: value',
          },
        );
      }
    }

    if (!isDict) {
      const elements = items.map((item) => item.value);
      // After `->`, `[i]` indexes the piped value; `[a, b]`, `[a,]` and `list[a]` stay lists.
      const only = elements[0];
      if (
        position === 'target' &&
        prefix === undefined &&
        elements.length === 1 &&
        only !== undefined &&
        tokenAt(ctx, 'trailingComma') === undefined
      ) {
        const receiver: ExpressionNode = this.node({ type: 'PipeValue', implicit: true, span });
        return this.node({ type: 'Index', object: receiver, index: only, span });
      }
      return this.node({ type: 'List', elements, span });
    }

    const entries: DictEntryNode[] = [];
    const keys = new Set<string>();
    for (const item of items) {
      const key = item.key;
      if (key === undefined) continue;
      if (keys.has(key.text)) {
        this.fail('PARSE_DUPLICATE_KEY', `dict key '${key.text}' appears twice`, key.span, {
          key: key.text,
        });
      }
      keys.add(key.text);
      entries.push(
        this.node({
          type: 'DictEntry',
          key: key.text,
          value: item.value,
          span: spanFrom(key.span, item.value),
        }),
      );
    }
    return this.node({ type: 'Dict', entries, span });
  }

  collectionItem(ctx: CstChildrenDictionary): CollectionItem {
    const value = this.expr(nodeAt(ctx, 'value'));
    const keyToken = tokenAt(ctx, 'key');
    if (keyToken === undefined) return { key: undefined, value };
    const span = this.lines.span(keyToken);
    if (keyToken.tokenType !== T.StringLiteral)
      return { key: { text: keyToken.image, span }, value };
    const parts = (keyToken.payload as StringPayload).parts;
    let text = '';
    for (const part of parts) {
      if (part.kind === 'interpolation') {
        this.fail(
          'PARSE_UNEXPECTED_TOKEN',
          'a dict key string cannot contain an interpolation',
          span,
          {
            expected: ['a plain string key'],
            found: 'an interpolated string',
          },
        );
      }
      text += part.text;
    }
    return { key: { text, span }, value };
  }

  // ------------------------------------------------------------ literals

  private numberNode(token: IToken): ExpressionNode {
    const value = Number(token.image);
    if (!Number.isFinite(value)) {
      this.fail(
        'PARSE_INVALID_NUMBER',
        `number literal ${token.image} is out of range`,
        this.lines.span(token),
        { found: token.image },
      );
    }
    return this.node({ type: 'Number', value, span: this.lines.span(token) });
  }

  private stringNode(token: IToken): StringNode {
    const payload = token.payload as StringPayload;
    const parts: (string | ExpressionNode)[] = [];
    for (const part of payload.parts) {
      if (part.kind === 'text') {
        parts.push(part.text);
        continue;
      }
      const start = this.lines.at(token.startOffset + part.start);
      const close = this.lines.at(token.startOffset + part.end);
      parts.push(this.parseInterpolation(token.image.slice(part.start, part.end), start, close));
    }
    return this.node({ type: 'String', parts, span: this.lines.span(token) });
  }
}

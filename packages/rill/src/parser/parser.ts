/**
 * The rill grammar as a chevrotain `CstParser`. There is one instance ({@link rillParser});
 * `parse` feeds it the token vector produced by the lexer and `applyLineRules`, so every
 * `Newline` the grammar sees separates two statements.
 *
 * Precedence, loosest first: pipe `->`/`=>`; conditional `? !`; `??`; `||`; `&&`; `== !=`;
 * `< > <= >=`; `+ -`; `* / %`; unary `! -`; postfix (`.m`, `.?f`, `[i]`, `:>t`, `:t`, `:?t`).
 */
import { CstParser, EOF, type IToken } from 'chevrotain';
import * as T from '../lexer/tokens.js';
import { errorMessageProvider } from './error-messages.js';

/**
 * Thrown from inside the grammar when a binary operator or `?` follows a pipe step
 * (`-> 1 + 2`), so `parse` can report it as `PARSE_INVALID_TARGET` with a useful hint.
 */
export class StrayOperatorSignal {
  constructor(readonly token: IToken) {}
}

class RillParser extends CstParser {
  constructor() {
    super([...T.ALL_TOKENS, ...T.CATEGORY_TOKENS], {
      recoveryEnabled: false,
      maxLookahead: 3,
      errorMessageProvider,
    });
    this.performSelfAnalysis();
  }

  // ------------------------------------------------------------ entry points

  /** A whole script: statements separated by newlines. */
  readonly script = this.RULE('script', () => {
    // Consuming EOF (rather than an OPTION) makes a bad first token fail here, naming
    // "a statement" as expected instead of reporting leftover input.
    this.OR([{ ALT: () => this.SUBRULE(this.statements) }, { ALT: () => this.CONSUME(EOF) }]);
  });

  /** The expression inside a string interpolation `{...}`. */
  readonly interpolation = this.RULE('interpolation', () => {
    this.SUBRULE(this.pipeExpression);
  });

  // ------------------------------------------------------------ statements

  private readonly statements = this.RULE('statements', () => {
    this.SUBRULE(this.statement);
    this.MANY(() => {
      this.CONSUME(T.Newline);
      this.SUBRULE2(this.statement);
    });
  });

  private readonly statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.controlStatement) },
      { ALT: () => this.SUBRULE(this.assertion) },
      { ALT: () => this.SUBRULE(this.pipeExpression) },
    ]);
  });

  /** `break [expr]`, `return [expr]`, `error [expr]` as statements: the operand may be a pipe. */
  private readonly controlStatement = this.RULE('controlStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.BreakKeyword) },
      { ALT: () => this.CONSUME(T.ReturnKeyword) },
      { ALT: () => this.CONSUME(T.ErrorKeyword) },
    ]);
    this.OPTION(() => this.SUBRULE(this.pipeExpression, { LABEL: 'operand' }));
  });

  /** `assert cond [message]`, as a statement or a pipe target. */
  private readonly assertion = this.RULE('assertion', () => {
    this.CONSUME(T.AssertKeyword);
    this.SUBRULE(this.conditionalExpression, { LABEL: 'condition' });
    this.OPTION(() => this.SUBRULE2(this.conditionalExpression, { LABEL: 'message' }));
  });

  /**
   * `break`, `return`, `error [operand]` where an operand-less form fits: conditional
   * branches and pipe targets. The operand is postfix-level so `c ? error "x" ! y` works.
   */
  private readonly controlExpression = this.RULE('controlExpression', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.BreakKeyword) },
      { ALT: () => this.CONSUME(T.ReturnKeyword) },
      {
        ALT: () => {
          this.CONSUME(T.ErrorKeyword);
          this.OPTION(() => this.SUBRULE(this.postfixExpression, { LABEL: 'operand' }));
        },
      },
    ]);
  });

  // ------------------------------------------------------------ pipes

  private readonly pipeExpression = this.RULE('pipeExpression', () => {
    this.SUBRULE(this.conditionalExpression, { LABEL: 'head' });
    this.MANY(() => this.SUBRULE(this.pipeStep));
  });

  /**
   * `-> target`, `-> target ? then ! else` (the target, evaluated with `$` bound, is the
   * condition), or `=> $name`.
   */
  private readonly pipeStep = this.RULE('pipeStep', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Arrow);
          this.SUBRULE(this.pipeTarget);
          this.OPTION2(() => {
            this.CONSUME(T.Question);
            this.SUBRULE(this.branch, { LABEL: 'then' });
            this.OPTION3(() => {
              this.CONSUME(T.Bang);
              this.SUBRULE2(this.branch, { LABEL: 'else' });
            });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.FatArrow);
          this.CONSUME(T.Variable);
        },
      },
    ]);
    // Nothing valid continues a step with an operator; name the mistake instead of
    // reporting leftover input.
    this.OPTION(() => {
      const stray = this.OR2([
        { ALT: () => this.CONSUME(T.BinaryOperator) },
        { ALT: () => this.CONSUME2(T.Question) },
      ]);
      this.ACTION(() => {
        throw new StrayOperatorSignal(stray);
      });
    });
  });

  private readonly pipeTarget = this.RULE('pipeTarget', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.implicitChain) },
      { ALT: () => this.SUBRULE(this.pipedConditional) },
      { ALT: () => this.SUBRULE(this.doWhileLoop) },
      // `(` also starts a primary below; a grouped target handles its own postfix chain.
      { ALT: () => this.SUBRULE(this.groupedTarget), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.collectionOperation) },
      { ALT: () => this.SUBRULE(this.assertion) },
      { ALT: () => this.SUBRULE(this.controlExpression) },
      { ALT: () => this.SUBRULE(this.postfixExpression), IGNORE_AMBIGUITIES: true },
    ]);
  });

  /** `.m`, `.?f`, `:>t`, ... applied to the piped value, then any further postfix operators. */
  private readonly implicitChain = this.RULE('implicitChain', () => {
    this.SUBRULE(this.leadingSuffix);
    this.MANY(() => this.SUBRULE(this.postfixOperator));
  });

  private readonly leadingSuffix = this.RULE('leadingSuffix', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.memberSuffix) },
      { ALT: () => this.SUBRULE(this.existsSuffix) },
      { ALT: () => this.SUBRULE(this.typeSuffix) },
    ]);
  });

  /** `-> ? then ! else`: tests `$`. */
  private readonly pipedConditional = this.RULE('pipedConditional', () => {
    this.CONSUME(T.Question);
    this.SUBRULE(this.branch, { LABEL: 'then' });
    this.OPTION(() => {
      this.CONSUME(T.Bang);
      this.SUBRULE2(this.branch, { LABEL: 'else' });
    });
  });

  /** `-> @ body [? (cond)]`. */
  private readonly doWhileLoop = this.RULE('doWhileLoop', () => {
    this.CONSUME(T.At);
    this.SUBRULE(this.loopBody);
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.parenthesized, { LABEL: 'condition' });
    });
  });

  /** `-> (cond) @ body` (a while loop), or `-> (expr)` followed by postfix operators. */
  private readonly groupedTarget = this.RULE('groupedTarget', () => {
    this.SUBRULE(this.parenthesized);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.SUBRULE(this.loopBody);
        },
      },
      { ALT: () => this.MANY(() => this.SUBRULE(this.postfixOperator)) },
    ]);
  });

  private readonly loopBody = this.RULE('loopBody', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.block) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
    ]);
  });

  /**
   * `each BODY`, `each(init) BODY`, `map BODY`, `filter BODY`, `fold(init) BODY`. For `each`,
   * a lone `(expr)` is the body; `(expr)` followed by a body is the init.
   */
  private readonly collectionOperation = this.RULE('collectionOperation', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.EachKeyword);
          this.OR2([
            {
              ALT: () => {
                this.SUBRULE(this.parenthesized, { LABEL: 'lead' });
                this.OPTION(() => this.SUBRULE(this.collectionBody));
              },
            },
            { ALT: () => this.SUBRULE(this.bareCollectionBody) },
          ]);
        },
      },
      {
        ALT: () => {
          this.OR3([
            { ALT: () => this.CONSUME(T.MapKeyword) },
            { ALT: () => this.CONSUME(T.FilterKeyword) },
          ]);
          this.SUBRULE2(this.collectionBody);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.FoldKeyword);
          this.SUBRULE2(this.parenthesized, { LABEL: 'init' });
          this.SUBRULE3(this.collectionBody);
        },
      },
    ]);
  });

  private readonly collectionBody = this.RULE('collectionBody', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.bareCollectionBody) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
    ]);
  });

  private readonly bareCollectionBody = this.RULE('bareCollectionBody', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.block) },
      { ALT: () => this.SUBRULE(this.closure) },
      { ALT: () => this.CONSUME(T.Variable) },
      { ALT: () => this.CONSUME(T.PipeValue) },
      { ALT: () => this.SUBRULE(this.implicitChain) },
    ]);
  });

  // ------------------------------------------------------------ operators

  /** `cond ? then ! else`; `then` may itself be a conditional, `! else` is optional. */
  /**
   * Everything between the pipe and postfix levels, flat: prefix operators, operands and
   * binary operators in sequence, then an optional `? then ! else`. The AST builder applies
   * precedence. One rule instead of a rule per level keeps the CST (and the time spent
   * building it) small for every operand.
   */
  private readonly conditionalExpression = this.RULE('conditionalExpression', () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Bang, { LABEL: 'prefix' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'prefix' }) },
      ]),
    );
    this.SUBRULE(this.postfixExpression, { LABEL: 'operand' });
    this.MANY2(() => {
      this.CONSUME(T.BinaryOperator, { LABEL: 'operator' });
      this.MANY3(() =>
        this.OR2([
          { ALT: () => this.CONSUME2(T.Bang, { LABEL: 'prefix' }) },
          { ALT: () => this.CONSUME2(T.Minus, { LABEL: 'prefix' }) },
        ]),
      );
      this.SUBRULE2(this.postfixExpression, { LABEL: 'operand' });
    });
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.branch, { LABEL: 'then' });
      this.OPTION2(() => {
        this.CONSUME3(T.Bang, { LABEL: 'elseMarker' });
        this.SUBRULE2(this.branch, { LABEL: 'else' });
      });
    });
  });

  private readonly branch = this.RULE('branch', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.controlExpression) },
      { ALT: () => this.SUBRULE(this.conditionalExpression) },
    ]);
  });

  // ------------------------------------------------------------ postfix

  private readonly postfixExpression = this.RULE('postfixExpression', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.postfixOperator));
  });

  private readonly postfixOperator = this.RULE('postfixOperator', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.memberSuffix) },
      { ALT: () => this.SUBRULE(this.existsSuffix) },
      { ALT: () => this.SUBRULE(this.indexSuffix) },
      { ALT: () => this.SUBRULE(this.typeSuffix) },
    ]);
  });

  /** `.name` or `.name(args)`. */
  private readonly memberSuffix = this.RULE('memberSuffix', () => {
    this.CONSUME(T.Dot);
    this.CONSUME(T.Word, { LABEL: 'name' });
    this.OPTION(() => this.SUBRULE(this.callArguments));
  });

  /** `.?name`. */
  private readonly existsSuffix = this.RULE('existsSuffix', () => {
    this.CONSUME(T.DotQuestion);
    this.CONSUME(T.Word, { LABEL: 'name' });
  });

  /** `[index]`. */
  private readonly indexSuffix = this.RULE('indexSuffix', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.pipeExpression);
    this.CONSUME(T.RBracket);
  });

  /** `:>type`, `:type`, `:?type`. */
  private readonly typeSuffix = this.RULE('typeSuffix', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.ColonGreater, { LABEL: 'operator' }) },
      { ALT: () => this.CONSUME(T.Colon, { LABEL: 'operator' }) },
      { ALT: () => this.CONSUME(T.ColonQuestion, { LABEL: 'operator' }) },
    ]);
    this.CONSUME(T.Word, { LABEL: 'typeName' });
  });

  // ------------------------------------------------------------ primaries

  private readonly primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.TrueKeyword) },
      { ALT: () => this.CONSUME(T.FalseKeyword) },
      { ALT: () => this.CONSUME(T.PipeValue) },
      { ALT: () => this.CONSUME(T.Accumulator) },
      {
        // `$name` or `$name(args)`.
        ALT: () => {
          this.CONSUME(T.Variable);
          this.OPTION(() => this.SUBRULE(this.callArguments, { LABEL: 'arguments' }));
        },
      },
      {
        // `name`, `ns::name`, with or without `(args)`.
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION2(() => this.SUBRULE2(this.callArguments, { LABEL: 'arguments' }));
        },
      },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.block) },
      { ALT: () => this.SUBRULE(this.closure) },
      { ALT: () => this.SUBRULE(this.collectionLiteral) },
    ]);
  });

  private readonly callArguments = this.RULE('callArguments', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.pipeExpression, { LABEL: 'argument' });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.pipeExpression, { LABEL: 'argument' });
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  /** `( expr )`: grouping only; the AST keeps the inner node. */
  private readonly parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.pipeExpression);
    this.CONSUME(T.RParen);
  });

  /** `{ statements }`. */
  private readonly block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.OPTION(() => this.SUBRULE(this.statements));
    this.CONSUME(T.RBrace);
  });

  /** `|a, b: number = 2| body` or `|| body`; the body is postfix-level. */
  private readonly closure = this.RULE('closure', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.OrOr) },
      {
        ALT: () => {
          this.CONSUME(T.Bar);
          this.OPTION(() => {
            this.SUBRULE(this.parameter);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.parameter);
            });
            this.OPTION2(() => this.CONSUME2(T.Comma));
          });
          this.CONSUME2(T.Bar);
        },
      },
    ]);
    this.SUBRULE(this.postfixExpression, { LABEL: 'body' });
  });

  private readonly parameter = this.RULE('parameter', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.CONSUME(T.Word, { LABEL: 'typeName' });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.conditionalExpression, { LABEL: 'default' });
    });
  });

  /** `[...]`, `list[...]`, `dict[...]`, `[:]`. */
  private readonly collectionLiteral = this.RULE('collectionLiteral', () => {
    this.OPTION(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.ListPrefix, { LABEL: 'prefix' }) },
        { ALT: () => this.CONSUME(T.DictPrefix, { LABEL: 'prefix' }) },
      ]),
    );
    this.CONSUME(T.LBracket);
    this.OPTION2(() =>
      this.OR2([
        { ALT: () => this.CONSUME(T.Colon, { LABEL: 'emptyDict' }) },
        {
          ALT: () => {
            this.SUBRULE(this.collectionItem);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.collectionItem);
            });
            this.OPTION3(() => this.CONSUME2(T.Comma, { LABEL: 'trailingComma' }));
          },
        },
      ]),
    );
    this.CONSUME(T.RBracket);
  });

  /** A list element, or `key: value` when a name, string or number is followed by `:`. */
  private readonly collectionItem = this.RULE('collectionItem', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Word, { LABEL: 'key' }) },
        { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'key' }) },
        { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'key' }) },
      ]);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.pipeExpression, { LABEL: 'value' });
  });
}

/** The one parser instance; set `input` before calling a rule. */
export const rillParser = new RillParser();

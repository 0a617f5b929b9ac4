/**
 * A compact s-expression printer over the AST, so parser tests can assert whole shapes in
 * one readable string. `<$>` is an implicit pipe value inserted by the parser.
 */
import type { AnyNode, ExpressionNode, ScriptNode } from '../../src/ast/nodes.js';
import { parse } from '../../src/parse.js';

function list(head: string, items: readonly (string | undefined)[]): string {
  const rest = items.filter((item): item is string => item !== undefined);
  return rest.length === 0 ? `(${head})` : `(${head} ${rest.join(' ')})`;
}

function all(nodes: readonly AnyNode[]): string[] {
  return nodes.map(sexpr);
}

/** Prints one node. */
export function sexpr(node: AnyNode): string {
  switch (node.type) {
    case 'Script':
      return all(node.statements).join('\n');
    case 'String':
      if (node.parts.every((part) => typeof part === 'string'))
        return JSON.stringify(node.parts.join(''));
      return list(
        'str',
        node.parts.map((part) => (typeof part === 'string' ? JSON.stringify(part) : sexpr(part))),
      );
    case 'Number':
      return String(node.value);
    case 'Bool':
      return String(node.value);
    case 'List':
      return list('list', all(node.elements));
    case 'Dict':
      return list('dict', all(node.entries));
    case 'DictEntry':
      return `(${JSON.stringify(node.key)} ${sexpr(node.value)})`;
    case 'Param':
      return `${node.name}${node.typeName === undefined ? '' : `:${node.typeName}`}${node.default === undefined ? '' : `=${sexpr(node.default)}`}`;
    case 'Closure':
      return list('closure', [`(${all(node.params).join(' ')})`, sexpr(node.body)]);
    case 'Block':
      return list('block', all(node.statements));
    case 'Variable':
      return `$${node.name}`;
    case 'PipeValue':
      return node.implicit ? '<$>' : '$';
    case 'Accumulator':
      return '$@';
    case 'Unary':
      return list(node.operator, [sexpr(node.operand)]);
    case 'Binary':
      return list(node.operator, [sexpr(node.left), sexpr(node.right)]);
    case 'Conditional':
      return list('?', [
        node.condition === undefined ? '_' : sexpr(node.condition),
        sexpr(node.then),
        node.else && sexpr(node.else),
      ]);
    case 'Member':
      return list('.', [sexpr(node.object), node.name]);
    case 'Exists':
      return list('.?', [sexpr(node.object), node.name]);
    case 'Index':
      return list('[]', [sexpr(node.object), sexpr(node.index)]);
    case 'MethodCall':
      return list('.()', [sexpr(node.object), node.name, ...all(node.args)]);
    case 'Convert':
      return list(':>', [sexpr(node.object), node.target]);
    case 'TypeAssert':
      return list(':', [sexpr(node.object), node.target]);
    case 'TypeCheck':
      return list(':?', [sexpr(node.object), node.target]);
    case 'Call':
      return node.hasParens ? list(node.name, all(node.args)) : node.name;
    case 'Invoke':
      return node.hasParens
        ? list(sexpr(node.callee), all(node.args))
        : list('invoke', [sexpr(node.callee)]);
    case 'Pipe':
      return list('->', [sexpr(node.head), ...all(node.steps)]);
    case 'PipeStep':
      return sexpr(node.target);
    case 'CaptureStep':
      return `(=> $${node.name})`;
    case 'While':
      return list('while', [sexpr(node.condition), sexpr(node.body)]);
    case 'DoWhile':
      return list('do', [sexpr(node.body), node.condition && sexpr(node.condition)]);
    case 'Collection':
      return list(node.operator, [node.init && `(init ${sexpr(node.init)})`, sexpr(node.body)]);
    case 'Break':
      return list('break', [node.value && sexpr(node.value)]);
    case 'Return':
      return list('return', [node.value && sexpr(node.value)]);
    case 'Assert':
      return list('assert', [sexpr(node.condition), node.message && sexpr(node.message)]);
    case 'Error':
      return list('error', [node.message && sexpr(node.message)]);
  }
}

/** Parses `source` and prints its statements, one per line. */
export function ast(source: string): string {
  return sexpr(parse(source));
}

/** The single statement of `source`. */
export function only(source: string): ExpressionNode {
  const script: ScriptNode = parse(source);
  const first = script.statements[0];
  if (script.statements.length !== 1 || first === undefined)
    throw new Error(`expected one statement in ${source}`);
  return first;
}

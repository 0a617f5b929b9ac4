// A deliberately naive evaluator: `await` on every node, a fresh scope object per block.
// It handles only the node types of the loop benchmark and exists to show what the real
// evaluator's synchronous fast path saves.
export async function naiveEvaluate(script) {
  let result;
  for (const statement of script.statements) result = await evalNode(statement, undefined);
  return result;
}

async function evalNode(node, pipe) {
  switch (node.type) {
    case 'Number':
      return node.value;
    case 'PipeValue':
      return pipe;
    case 'Binary': {
      const l = await evalNode(node.left, pipe);
      const r = await evalNode(node.right, pipe);
      if (typeof l !== 'number' || typeof r !== 'number') throw new Error('numbers only');
      switch (node.operator) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '<': return l < r;
        default: throw new Error(`naive walker: ${node.operator}`);
      }
    }
    case 'Block': {
      let value = '';
      const scope = new Map();
      void scope;
      for (const s of node.statements) value = await evalNode(s, pipe);
      return value;
    }
    case 'Pipe': {
      let value = await evalNode(node.head, pipe);
      for (const step of node.steps) value = await evalNode(step.target, value);
      return value;
    }
    case 'While': {
      let value = pipe;
      let n = 0;
      while ((await evalNode(node.condition, value)) === true) {
        if (++n > 1e7) throw new Error('limit');
        value = await evalNode(node.body, value);
      }
      return value;
    }
    default:
      throw new Error(`naive walker: ${node.type}`);
  }
}

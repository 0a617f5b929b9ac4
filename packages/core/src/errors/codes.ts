/**
 * The one registry of error codes. Every error rillkit raises carries one of these codes.
 * Codes are grouped by layer prefix and are never renamed or reused; `docs/ref-errors.md`
 * is generated from this table.
 */
export const ERROR_CODES = {
  // Lexing
  LEX_UNEXPECTED_CHARACTER: 'A character that starts no rill token.',
  LEX_UNTERMINATED_STRING: 'A string literal (or an interpolation inside it) is not closed.',
  LEX_INVALID_ESCAPE: 'A backslash escape in a string that rill does not define.',

  // Parsing
  PARSE_UNEXPECTED_TOKEN:
    'A token where the grammar expects something else; the message names what was expected.',
  PARSE_UNEXPECTED_END: 'The script ends inside an unfinished construct.',
  PARSE_INVALID_TARGET:
    'Something that cannot follow `->` or `=>` (e.g. a capture target that is not `$name`).',
  PARSE_DUPLICATE_KEY: 'A dict literal names the same key twice.',
  PARSE_DUPLICATE_PARAM: 'A closure declares the same parameter twice.',
  PARSE_INVALID_NUMBER: 'A number literal that is not a finite IEEE double.',
  PARSE_UNKNOWN_TYPE:
    'A type name after `:`, `:>`, `:?` or in a parameter annotation that is not one of `string number bool list dict closure any`.',
  PARSE_MIXED_COLLECTION:
    'A collection literal mixing `key: value` entries with plain elements (or a `list[` with entries, a `dict[` with elements).',
  PARSE_NESTING_TOO_DEEP: 'Brackets or expressions nested deeper than the parser supports.',
  PARSE_TOO_LARGE:
    "A script longer than `parse`'s `maxLength` characters, or with more syntax nodes than its `maxNodes`.",
  PARSE_INTERNAL:
    'An unexpected failure inside the parser itself (a bug); the original is kept as `cause`.',

  // Evaluation
  EVAL_UNDEFINED_VARIABLE: 'A `$name` (or `$`, `$@`) read where no such variable is bound.',
  EVAL_OUTER_REBIND:
    'A capture inside a block, closure or loop body names an outer variable; outer variables are read-only there.',
  EVAL_TYPE_MISMATCH:
    'An operator or construct applied to a value of the wrong type (rill has no implicit conversions).',
  EVAL_CONDITION_NOT_BOOL:
    'A condition (`?`, loop, `filter`, `assert`, `&&`, `||`, `!`) that is not a bool.',
  EVAL_DIVISION_BY_ZERO: 'Division or remainder by zero.',
  EVAL_INDEX_OUT_OF_RANGE: 'A list or string index outside its bounds, without `??`.',
  EVAL_MISSING_FIELD: 'A dict field that does not exist, without `??` or `.?`.',
  EVAL_NOT_CALLABLE: 'A call of a value that is not a closure.',
  EVAL_UNKNOWN_FUNCTION:
    'A call of a function name that is neither built in nor registered by the host.',
  EVAL_UNKNOWN_METHOD: 'A `.method` that does not exist for the receiver.',
  EVAL_ARGUMENT_COUNT:
    'A closure, method or built-in function called with too few or too many arguments.',
  EVAL_ARGUMENT_TYPE: 'A closure, method or built-in function argument of the wrong type.',
  EVAL_INVALID_ARGUMENT:
    'An argument of the right type but an unusable value (e.g. an invalid regex, a non-integer index).',
  EVAL_CONVERSION_FAILED: 'A `:>type` conversion that has no result for this value.',
  EVAL_TYPE_ASSERTION: 'A `:type` assertion that failed.',
  EVAL_ASSERTION_FAILED: 'An `assert` whose condition was false.',
  EVAL_SCRIPT_ERROR: 'An `error "message"` raised by the script itself.',
  EVAL_BREAK_OUTSIDE_LOOP: '`break` outside a loop or collection operator.',
  EVAL_INVALID_JSON: '`parse_json` given malformed JSON, or JSON containing `null`.',
  EVAL_NOT_SERIALIZABLE:
    'A value with no JSON form (a closure, `NaN`, an infinity) given to `json`.',
  EVAL_INTERNAL:
    'An unexpected failure inside the interpreter itself (a bug); the original is kept as `cause`.',

  // Host calls
  HOST_ARGUMENT_COUNT: 'A host function called with too few or too many arguments.',
  HOST_ARGUMENT_TYPE: 'A host function argument whose type does not match the declared parameter.',
  HOST_INVALID_RETURN:
    'A host function returned something that is not a rill value (e.g. `undefined` or `null`).',
  HOST_FUNCTION_FAILED:
    'A host function threw an error without a rillkit code; the original is kept as `cause`.',
  HOST_INVALID_DEFINITION:
    'A host function or variable registered with an invalid name or declaration.',

  // Limits
  LIMIT_ITERATIONS: 'A loop or collection operator ran more iterations than the limit allows.',
  LIMIT_CALL_DEPTH: 'Closure calls nested deeper than the limit allows.',
  LIMIT_TIMEOUT: 'The script ran longer than the context timeout.',
  LIMIT_ABORTED: 'The host aborted the script through its AbortSignal.',
  LIMIT_VALUE_SIZE:
    'A value grew larger than the JavaScript engine can hold (e.g. a string beyond its maximum length).',
  LIMIT_MEMORY:
    "The values a script creates would exceed the run's memory budget (`limits.memory`); refused before the allocation.",
  LIMIT_STEPS:
    'The run as a whole did more work (loop iterations, collection elements, closure and host calls) than `limits.steps` allows.',
  LIMIT_VALUE_DEPTH:
    'A value nested deeper than the depth limit was built, passed in, returned by a host function or read from storage.',

  // kv storage
  KV_UNKNOWN_MOUNT: 'A kv function named a mount the extension does not have.',
  KV_READ_ONLY: 'A write to a kv mount whose mode is `read`.',
  KV_WRITE_ONLY: 'A read from a kv mount whose mode is `write`.',
  KV_INVALID_CONFIG:
    'A kv extension factory was given an invalid option; the message names the field.',
  KV_BACKEND_UNAVAILABLE: 'The kv backend cannot be reached (as opposed to a missing key).',
  KV_BACKEND_FAILURE:
    'The kv backend failed in a way no other code describes; the original is kept as `cause`.',
  KV_UNDECLARED_KEY: 'A key not declared in the mount schema (declared mode).',
  KV_TYPE_MISMATCH: 'A value whose type does not match the declared schema type.',
  KV_VALUE_TOO_LARGE: 'A value whose JSON is larger than `maxValueSize`.',
  KV_TOO_MANY_ENTRIES: 'A write that would exceed `maxEntries`.',
  KV_STORE_TOO_LARGE: 'A write that would exceed `maxStoreSize`.',
  KV_NOT_A_DICT: '`merge` on a key whose current value is not a dict (or with a non-dict partial).',
  KV_NOT_A_NUMBER: '`incr` on a key whose current value is not a number (or by a non-number).',
  KV_INVALID_KEY: 'A key that is empty, longer than 1,024 bytes, or not a string.',
  KV_CORRUPT_STORE:
    'The stored data cannot be read back (malformed file or cell); it is left untouched.',
  KV_INVALID_OPTION:
    'A per-call option (the `opts` dict of `set`/`add`) that is unknown or has an unusable value, e.g. a non-positive `ttl`.',

  // fs storage
  FS_UNKNOWN_MOUNT: 'An fs function named a mount the extension does not have.',
  FS_READ_ONLY: 'A write to an fs mount whose mode is `read`.',
  FS_WRITE_ONLY: 'A read from an fs mount whose mode is `write`.',
  FS_INVALID_CONFIG:
    'An fs extension factory was given an invalid option; the message names the field.',
  FS_BACKEND_UNAVAILABLE: 'The fs backend cannot be reached (as opposed to a missing file).',
  FS_BACKEND_FAILURE:
    'The fs backend failed in a way no other code describes; the original is kept as `cause`.',
  FS_NOT_FOUND: 'The file or folder does not exist.',
  FS_PATH_ESCAPE: 'A path (or a symlink it passes through) that would leave the mount root.',
  FS_INVALID_PATH: 'A path with NUL or control characters, backslashes, or another malformed part.',
  FS_NOT_A_FILE: 'A file operation on a folder.',
  FS_NOT_A_DIRECTORY: 'A folder operation on a file, or a path whose parent is a file.',
  FS_NOT_EMPTY: '`remove` of a folder that is not empty.',
  FS_FILE_TOO_LARGE: 'A file larger than `maxFileSize` (read or written).',
  FS_GLOB_DENIED: 'A file name the mount `glob` does not admit.',
} as const satisfies Record<string, string>;

/** Every error code rillkit raises. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The layers codes are grouped by, in documentation order. */
export const ERROR_LAYERS = [
  { prefix: 'LEX_', title: 'Lexing' },
  { prefix: 'PARSE_', title: 'Parsing' },
  { prefix: 'EVAL_', title: 'Evaluation' },
  { prefix: 'HOST_', title: 'Host calls' },
  { prefix: 'LIMIT_', title: 'Limits' },
  { prefix: 'KV_', title: 'kv storage' },
  { prefix: 'FS_', title: 'fs storage' },
] as const;

/** True when `code` is a registered error code. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

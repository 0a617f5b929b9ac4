// ESLint flat config for the whole monorepo. Besides typescript-eslint's recommended rules it
// enforces the dependency arrows of shared/STYLE.md with the built-in `no-restricted-imports`,
// so a layer violation fails `pnpm lint` instead of waiting for a reviewer to spot it.
// packages/core/test/lint-rules.test.ts lints small samples against this file so the rules
// cannot silently rot.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

// Vendor SDKs of ext packages that are planned but may not exist yet. Once a package exists,
// its own package.json (below) is the source of truth and this list only adds to it.
const PLANNED_VENDOR_SDKS = {
  'ext-kv-sqlite': ['better-sqlite3'],
  'ext-kv-redis': ['ioredis', 'redis', '@redis/*'],
  'ext-fs-s3': ['@aws-sdk/*', '@smithy/*'],
};

/** Every ext-* package folder mapped to the vendor SDKs only it may import. */
function vendorSdksByPackage() {
  const byPackage = new Map(Object.entries(PLANNED_VENDOR_SDKS).map(([k, v]) => [k, [...v]]));
  let dirs = [];
  try {
    dirs = readdirSync(join(root, 'packages')).filter((d) => d.startsWith('ext-'));
  } catch {
    // No packages folder (e.g. linting a partial checkout): the planned list still applies.
  }
  for (const dir of dirs) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    // Any runtime dependency of an ext package that is not ours is by definition its vendor SDK.
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(
      (name) => !name.startsWith('@rillkit/'),
    );
    byPackage.set(dir, [...new Set([...(byPackage.get(dir) ?? []), ...deps])]);
  }
  return byPackage;
}

const VENDOR_SDKS = vendorSdksByPackage();

/** Import restrictions, merged per file glob (flat config replaces rule options, never merges). */
const NO_INTERPRETER = [
  {
    group: ['@rillkit/rill', '@rillkit/rill/**'],
    message: 'ext packages depend on @rillkit/core only, never on the interpreter.',
  },
];

function restrictImports(...groups) {
  const patterns = groups.flat();
  return { 'no-restricted-imports': ['error', { patterns }] };
}

/** Ban bare package names (and their subpaths / scoped wildcards). */
function banPackages(names, message) {
  return names.map((name) =>
    name.endsWith('/*') ? { group: [name], message } : { group: [name, `${name}/**`], message },
  );
}

/** Ban relative imports that reach into one of the given folders of packages/rill/src. */
function banRillFolders(folders, message) {
  const alternatives = folders.join('|');
  return [{ regex: `^\\.{1,2}/(?:.*/)?(?:${alternatives})(?:/|$|\\.js$)`, message }];
}

/** Vendor SDKs a package may not import: every ext package's SDKs except its own. */
function foreignVendorSdks(ownDir) {
  const out = [];
  for (const [dir, sdks] of VENDOR_SDKS) {
    if (dir === ownDir || sdks.length === 0) continue;
    out.push(
      ...banPackages(sdks, `Vendor SDKs belong to their own package (packages/${dir}) only.`),
    );
  }
  return out;
}

const CHEVROTAIN = banPackages(
  ['chevrotain', '@chevrotain/*'],
  'Chevrotain stays in the lexer and parser layers of @rillkit/rill.',
);

const RILL_SRC = 'packages/rill/src';

const layerRules = [
  // Default for every package: no foreign vendor SDKs.
  {
    files: ['packages/*/**/*.{ts,mts,js,mjs}', 'examples/**/*.{ts,mts,js,mjs}'],
    rules: restrictImports(foreignVendorSdks(null)),
  },
  {
    files: ['packages/core/**/*.{ts,mts,js,mjs}'],
    rules: restrictImports(foreignVendorSdks(null), CHEVROTAIN, [
      {
        regex: '^@rillkit/(?!core(?:/|$))',
        message: '@rillkit/core is the bottom layer: it may not import other @rillkit packages.',
      },
    ]),
  },
  {
    files: [`${RILL_SRC}/runtime/**/*.ts`, `${RILL_SRC}/ast/**/*.ts`],
    rules: restrictImports(
      foreignVendorSdks(null),
      CHEVROTAIN,
      banRillFolders(
        ['lexer', 'parser', 'parse'],
        'The runtime and the AST read only ../ast and @rillkit/core, never the lexer or parser.',
      ),
    ),
  },
  {
    files: [`${RILL_SRC}/lexer/**/*.ts`],
    rules: restrictImports(
      foreignVendorSdks(null),
      banRillFolders(
        ['parser', 'parse', 'runtime'],
        'The lexer is the lowest rill layer: it may not import the parser or the runtime.',
      ),
    ),
  },
  {
    files: [`${RILL_SRC}/parser/**/*.ts`],
    rules: restrictImports(
      foreignVendorSdks(null),
      banRillFolders(['runtime'], 'The parser may not import the runtime.'),
    ),
  },
  // ext-* packages (present and future): their sources use only @rillkit/core and their own
  // vendor SDK. Their tests may also drive the extension through the interpreter, as a host
  // would (it is a devDependency there), but still not another package's vendor SDK.
  ...[null, ...VENDOR_SDKS.keys()].flatMap((dir) => {
    const folder = dir === null ? 'ext-*' : dir;
    const exts = '{ts,mts,js,mjs}';
    return [
      {
        files: [`packages/${folder}/**/*.${exts}`],
        rules: restrictImports(foreignVendorSdks(dir), NO_INTERPRETER),
      },
      {
        files: [`packages/${folder}/test/**/*.${exts}`],
        rules: restrictImports(foreignVendorSdks(dir)),
      },
    ];
  }),
  // Test infrastructure (private): it starts and reaches the services tests run against, so it
  // may use their SDKs; it imports no other @rillkit package, so any package's tests may use it.
  {
    files: ['packages/test-services/**/*.{ts,mts,js,mjs}'],
    rules: restrictImports([
      {
        regex: '^@rillkit/(?!test-services(?:/|$))',
        message: '@rillkit/test-services is a leaf: it may not import other @rillkit packages.',
      },
    ]),
  },
];

// `.only` would silently turn the rest of a suite off in CI.
const noFocusedTests = {
  'no-restricted-syntax': [
    'error',
    {
      selector:
        "MemberExpression[property.name='only'][object.name=/^(describe|it|test|suite|bench)$/]",
      message: 'Focused tests (.only) must not be committed.',
    },
    {
      selector:
        "MemberExpression[property.name='only'][object.type='MemberExpression'][object.object.name=/^(describe|it|test|suite|bench)$/]",
      message: 'Focused tests (.only) must not be committed.',
    },
    {
      selector:
        "MemberExpression[property.name='only'][object.type='CallExpression'][object.callee.object.name=/^(describe|it|test|suite|bench)$/]",
      message: 'Focused tests (.only) must not be committed.',
    },
  ],
};

const NODE_GLOBALS = {
  console: 'readonly',
  process: 'readonly',
  URL: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  AbortController: 'readonly',
  AbortSignal: 'readonly',
  performance: 'readonly',
};

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/coverage/**',
      '**/test-results.json',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      ...noFocusedTests,
    },
  },
  ...layerRules,
);

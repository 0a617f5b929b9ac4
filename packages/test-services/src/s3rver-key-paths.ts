// How the fixed s3rver store names keys on disk (fix 3 of s3rver-fixes.ts): s3rver maps each
// key segment to a folder or file name, which cannot be empty, `.`, `..` or longer than the
// file system allows (s3rver also adds a suffix of up to 22 characters to the last segment).
// A segment the file system cannot hold as a name is stored with a leading \u0001 (``, `.`,
// `..`), and one longer than SEGMENT_BYTES is split over several folder levels, each piece but
// the last ending in \u0002. Keys with control characters are not used by these tests.
/** Marks a stored segment that stands for ``, `.` or `..` (alone: the empty segment). */
export const ESCAPE = '\u0001';
const CONTINUES = '\u0002';
const SEGMENT_BYTES = 200;

function splitSegment(segment: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const char of segment) {
    const size = Buffer.byteLength(char);
    if (bytes + size > SEGMENT_BYTES) {
      pieces.push(piece + CONTINUES);
      piece = '';
      bytes = 0;
    }
    piece += char;
    bytes += size;
  }
  pieces.push(piece);
  return pieces;
}

/** The stored path (relative to the bucket folder) of an object key. */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) => {
      if (segment === '' || segment === '.' || segment === '..') return ESCAPE + segment;
      return Buffer.byteLength(segment) > SEGMENT_BYTES ? splitSegment(segment).join('/') : segment;
    })
    .join('/');
}

/** Decode a stored path (relative to the bucket folder) back to the key prefix it stands for. */
export function decodeKeyPath(path: string): string {
  return path
    .split(`${CONTINUES}/`)
    .join('')
    .split('/')
    .map((segment) => (segment.startsWith(ESCAPE) ? segment.slice(1) : segment))
    .join('/');
}

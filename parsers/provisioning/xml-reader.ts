/**
 * A small, tolerant XML reader for the phone's XML files (SEP<MAC>.cnf.xml,
 * XMLDefault.cnf.xml, dialplan.xml). Real files are hand-written and often malformed
 * (typographic quotes pasted from a web page, unclosed tags, a bare `&` in a URL): each
 * fault becomes a problem with line and column, and reading goes on so that what can still
 * be read is returned. Namespaces and DTDs are not interpreted.
 */
import { ProblemList, problemAt, type ProblemCode, type ProvisioningProblem, type SourcePosition } from './problem.js';
import { LineIndex, NUL_MESSAGE, textBeforeNul } from './text-lines.js';

export interface XmlAttribute extends SourcePosition {
  readonly name: string;
  /** Entities decoded; for a value in typographic quotes, the text between them. */
  readonly value: string;
}

export interface XmlElement extends SourcePosition {
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The element's own text (not its children's), entities decoded, untrimmed. */
  readonly text: string;
  /** Where the element's first text character is; the element's position when it has no text. */
  readonly textPosition: SourcePosition;
  /** false when the file ends (or a parent closes) before `</name>`. */
  readonly closed: boolean;
}

export interface XmlDocument {
  readonly file: string;
  /** Top-level elements; a well-formed file has exactly one. */
  readonly roots: readonly XmlElement[];
  readonly problems: readonly ProvisioningProblem[];
}

interface OpenElement {
  name: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  text: string;
  textPosition: SourcePosition | undefined;
  position: SourcePosition;
  parent: OpenElement | undefined;
  /** 1 for a top-level element. */
  depth: number;
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Quote marks that word processors and web pages substitute for `"` and `'`. */
const TYPOGRAPHIC_QUOTES = '\u201C\u201D\u201E\u201F\u2033\u2018\u2019\u00AB\u00BB';
const NAME_START = /[A-Za-z_:]/;
/** The characters of a name (`[A-Za-z0-9_:.-]`), tested by code: a site's root is some hundred million of them. */
function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x3a) ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x2d
  );
}
const SPACE = /[ \t\r\n]/;
/**
 * A phone's XML file is a few levels deep; a file nested deeper is not one, and reading it on
 * would make every walk of the tree (findElements) as deep as the file is long.
 */
export const MAX_XML_DEPTH = 64;
/** Likewise for the attributes of one element (a phone's elements have one or two). */
export const MAX_XML_ATTRIBUTES = 64;

/** The document; a NUL character ends what is read (said as a problem there). */
export function readXml(text: string, file: string): XmlDocument {
  const { text: readable, nul } = textBeforeNul(text);
  return new XmlReader(readable, file, nul && { file, ...nul }).read();
}

/** All descendants of `parent` (depth first, in document order) that pass `test`. */
export function findElements(parent: XmlElement, test: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (element: XmlElement): void => {
    for (const child of element.children) {
      if (test(child)) found.push(child);
      walk(child);
    }
  };
  walk(parent);
  return found;
}

export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

/** Built field by field: a spread here was most of the time of a file of attributes. */
function attributeAt({ file, line, column }: SourcePosition, name: string, value: string): XmlAttribute {
  return { file, line, column, name, value };
}

class XmlReader {
  private readonly index: LineIndex;
  private readonly problems = new ProblemList();
  private readonly roots: XmlElement[] = [];
  private current: OpenElement | undefined;
  private pos = 0;
  /** Set when reading ended before the end of the text (stopReading). */
  private stopped = false;

  constructor(
    private readonly text: string,
    private readonly file: string,
    /** Where a NUL ended the text given, when one did. */
    private readonly nul?: SourcePosition,
  ) {
    this.index = new LineIndex(text);
  }

  read(): XmlDocument {
    const { text } = this;
    while (this.pos < text.length) {
      if (text[this.pos] === '<') this.markup();
      else this.characterData();
    }
    while (this.current) {
      if (!this.stopped)
        this.report(
          'XML_UNCLOSED_TAG',
          this.current.position,
          `<${this.current.name}> is never closed: expected </${this.current.name}> before the end of the file`,
        );
      this.close(false);
    }
    if (this.nul) this.report('XML_SYNTAX', this.nul, NUL_MESSAGE);
    return { file: this.file, roots: this.roots, problems: this.problems.list() };
  }

  private at(offset: number): SourcePosition {
    return { file: this.file, ...this.index.position(offset) };
  }

  private report(code: ProblemCode, where: SourcePosition | number, message: string): void {
    this.problems.push(problemAt(code, typeof where === 'number' ? this.at(where) : where, message));
  }

  private skipPast(terminator: string, what: string): void {
    const end = this.text.indexOf(terminator, this.pos);
    if (end < 0) {
      this.report('XML_SYNTAX', this.pos, `${what} is not closed: expected "${terminator}" before the end of the file`);
      this.pos = this.text.length;
    } else {
      this.pos = end + terminator.length;
    }
  }

  private markup(): void {
    const { text } = this;
    const start = this.pos;
    if (text.startsWith('<!--', start)) {
      this.skipPast('-->', 'comment');
    } else if (text.startsWith('<![CDATA[', start)) {
      this.pos = start + 9;
      const end = text.indexOf(']]>', this.pos);
      const stop = end < 0 ? text.length : end;
      this.appendText(text.slice(this.pos, stop), this.pos);
      if (end < 0)
        this.report('XML_SYNTAX', start, 'CDATA section is not closed: expected "]]>" before the end of the file');
      this.pos = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('<?', start)) {
      this.skipPast('?>', 'processing instruction');
    } else if (text.startsWith('<!DOCTYPE', start) && /^[^>]*\[/.test(text.slice(start, start + 1024))) {
      // An internal subset holds declarations of its own (<!ENTITY …>): skipped whole, never expanded.
      this.skipPast(']', 'DOCTYPE internal subset');
      this.skipPast('>', 'DOCTYPE');
    } else if (text.startsWith('<!', start)) {
      this.skipPast('>', 'declaration');
    } else if (text[start + 1] === '/') {
      this.endTag();
    } else if (NAME_START.test(text[start + 1] ?? '')) {
      this.startTag();
    } else {
      this.report('XML_SYNTAX', start, 'a "<" that does not start a tag (write &lt; for a literal "<")');
      this.appendText('<', start);
      this.pos = start + 1;
    }
  }

  private readName(): string {
    const begin = this.pos;
    while (this.pos < this.text.length && isNameChar(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(begin, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && SPACE.test(this.text.charAt(this.pos))) this.pos++;
  }

  private startTag(): void {
    const start = this.pos;
    this.pos++;
    const name = this.readName();
    const attributes: XmlAttribute[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) {
        this.report('XML_SYNTAX', start, `tag <${name} is not closed: expected ">" before the end of the file`);
        break;
      }
      const c = this.text.charAt(this.pos);
      if (c === '>') {
        this.pos++;
        this.open(name, attributes, start);
        return;
      }
      if (c === '/' && this.text[this.pos + 1] === '>') {
        this.pos += 2;
        this.open(name, attributes, start);
        if (!this.stopped) this.close(true);
        return;
      }
      if (c === '<') {
        this.report('XML_SYNTAX', this.pos, `tag <${name} is not closed: expected ">" before the next "<"`);
        this.open(name, attributes, start);
        return;
      }
      if (NAME_START.test(c) && attributes.length >= MAX_XML_ATTRIBUTES) {
        this.report(
          'XML_SYNTAX',
          this.pos,
          `<${name}> has more than ${MAX_XML_ATTRIBUTES} attributes: a phone's elements have one or two; the rest of the file is not read`,
        );
        this.stopReading();
        break;
      }
      if (NAME_START.test(c)) {
        attributes.push(this.attribute(name));
      } else {
        this.report(
          'XML_SYNTAX',
          this.pos,
          `unexpected "${c}" in tag <${name}>: expected an attribute name, ">" or "/>"`,
        );
        this.pos++;
      }
    }
    this.open(name, attributes, start);
  }

  private attribute(tag: string): XmlAttribute {
    const where = this.at(this.pos);
    const name = this.readName();
    this.skipSpace();
    if (this.text[this.pos] !== '=') {
      this.report('XML_SYNTAX', this.pos, `attribute ${name} of <${tag}> has no value: expected ${name}="..."`);
      return attributeAt(where, name, '');
    }
    this.pos++;
    this.skipSpace();
    const quote = this.text[this.pos] ?? '';
    if (quote === '"' || quote === "'") {
      const valueStart = ++this.pos;
      const end = this.text.indexOf(quote, valueStart);
      const stop = end < 0 ? this.text.length : end;
      if (end < 0)
        this.report('XML_SYNTAX', valueStart - 1, `the value of ${name} in <${tag}> has no closing ${quote}`);
      this.pos = end < 0 ? stop : end + 1;
      return attributeAt(where, name, this.decode(this.text.slice(valueStart, stop), valueStart));
    }
    if (quote !== '' && TYPOGRAPHIC_QUOTES.includes(quote)) {
      const code = (quote.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      this.report(
        'XML_TYPOGRAPHIC_QUOTE',
        this.pos,
        `the value of ${name} in <${tag}> is quoted with the typographic quote ${quote} (U+${code}); XML needs a plain " or '`,
      );
      const valueStart = ++this.pos;
      let stop = valueStart;
      while (
        stop < this.text.length &&
        !TYPOGRAPHIC_QUOTES.includes(this.text.charAt(stop)) &&
        !'<>\n'.includes(this.text.charAt(stop))
      )
        stop++;
      this.pos = TYPOGRAPHIC_QUOTES.includes(this.text[stop] ?? '') ? stop + 1 : stop;
      return attributeAt(where, name, this.decode(this.text.slice(valueStart, stop), valueStart));
    }
    this.report('XML_SYNTAX', this.pos, `the value of ${name} in <${tag}> is not quoted: expected ${name}="..."`);
    const valueStart = this.pos;
    while (
      this.pos < this.text.length &&
      !SPACE.test(this.text.charAt(this.pos)) &&
      !'<>'.includes(this.text.charAt(this.pos))
    ) {
      if (this.text.startsWith('/>', this.pos)) break;
      this.pos++;
    }
    return attributeAt(where, name, this.decode(this.text.slice(valueStart, this.pos), valueStart));
  }

  private endTag(): void {
    const start = this.pos;
    this.pos += 2;
    const name = this.readName();
    this.skipSpace();
    if (this.text[this.pos] === '>') this.pos++;
    else this.report('XML_SYNTAX', this.pos, `closing tag </${name} is not closed: expected ">"`);

    let match = this.current;
    while (match && match.name !== name) match = match.parent;
    if (!match) {
      match = this.current;
      while (match && match.name.toLowerCase() !== name.toLowerCase()) match = match.parent;
      if (match) {
        this.report('XML_MISMATCHED_TAG', start, `</${name}> closes <${match.name}>: XML names are case sensitive`);
      } else {
        const open = this.current ? `the open element is <${this.current.name}>` : 'no element is open';
        this.report('XML_MISMATCHED_TAG', start, `</${name}> has no matching <${name}> (${open}); ignored`);
        return;
      }
    }
    while (this.current && this.current !== match) {
      this.report(
        'XML_UNCLOSED_TAG',
        this.current.position,
        `<${this.current.name}> is never closed: </${name}> on line ${this.at(start).line} comes first`,
      );
      this.close(false);
    }
    this.close(true);
  }

  private open(name: string, attributes: XmlAttribute[], start: number): void {
    const depth = (this.current?.depth ?? 0) + 1;
    if (depth > MAX_XML_DEPTH) {
      this.report(
        'XML_SYNTAX',
        start,
        `<${name}> is nested ${depth} elements deep: a phone's configuration is a few levels deep (phonedoc reads at most ${MAX_XML_DEPTH}); the rest of the file is not read`,
      );
      this.stopReading();
      return;
    }
    this.current = {
      depth,
      name,
      attributes,
      children: [],
      text: '',
      textPosition: undefined,
      position: this.at(start),
      parent: this.current,
    };
  }

  /** Reading ends here: the open elements are kept as they are, without a problem each. */
  private stopReading(): void {
    this.pos = this.text.length;
    this.stopped = true;
  }

  private close(closed: boolean): void {
    const open = this.current!;
    // Fields copied one by one: a spread here made closing elements most of a site root's lint time.
    const { file, line, column } = open.position;
    const element: XmlElement = {
      file,
      line,
      column,
      name: open.name,
      attributes: open.attributes,
      children: open.children,
      text: open.text,
      textPosition: open.textPosition ?? open.position,
      closed,
    };
    this.current = open.parent;
    if (this.current) this.current.children.push(element);
    else {
      if (this.roots.length === 1)
        this.report(
          'XML_SYNTAX',
          element,
          `a second top-level element <${element.name}>: an XML file has one root element`,
        );
      this.roots.push(element);
    }
  }

  private characterData(): void {
    const start = this.pos;
    const end = this.text.indexOf('<', start);
    this.pos = end < 0 ? this.text.length : end;
    const raw = this.text.slice(start, this.pos);
    if (!this.current) {
      // A byte-order mark at the very start is allowed before the root element.
      const skip = start === 0 && raw.charCodeAt(0) === 0xfeff ? 1 : 0;
      const first = raw.slice(skip).search(/\S/);
      if (first >= 0) this.report('XML_SYNTAX', start + skip + first, 'text outside the root element');
      return;
    }
    this.appendText(this.decode(raw, start), start);
  }

  private appendText(decoded: string, offset: number): void {
    if (!this.current) return;
    if (this.current.textPosition === undefined && decoded.trim() !== '') {
      const lead = decoded.length - decoded.trimStart().length;
      this.current.textPosition = this.at(offset + lead);
    }
    this.current.text += decoded;
  }

  /** Decodes the five predefined entities and character references; a bare `&` is kept and reported. */
  private decode(raw: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(
      /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*)?(;?)/g,
      (whole, ref: string | undefined, semi: string, at: number) => {
        if (ref !== undefined && semi === ';') {
          const code = ref.startsWith('#x')
            ? Number.parseInt(ref.slice(2), 16)
            : ref.startsWith('#')
              ? Number.parseInt(ref.slice(1), 10)
              : undefined;
          if (code !== undefined && code <= 0x10ffff) return String.fromCodePoint(code);
          const named = PREDEFINED_ENTITIES[ref];
          if (named !== undefined) return named;
        }
        this.report(
          'XML_STRAY_AMPERSAND',
          offset + at,
          `"${whole}" is not an XML entity: write &amp; for a literal "&"`,
        );
        return whole;
      },
    );
  }
}

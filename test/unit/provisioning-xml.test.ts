import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseDialPlan } from '../../parsers/provisioning/dialplan.js';
import { loadsForModel, parseSccpXml } from '../../parsers/provisioning/sccp-xml.js';
import { readXml } from '../../parsers/provisioning/xml-reader.js';
import { fixture } from '../helpers.js';

const lkml = (name: string): Uint8Array => readFileSync(fixture('provisioning', 'lkml-teo', name));
const at = (problems: readonly { code: string; line: number; column: number }[]) =>
  problems.map((p) => [p.code, p.line, p.column]);

describe('XMLDefault.cnf.xml / SEP<MAC>.cnf.xml', () => {
  it('reads the LKML-TEO XMLDefault.cnf.xml and reports its typographic quotes where they are', () => {
    const cfg = parseSccpXml(lkml('XMLDefault.cnf.xml'), 'XMLDefault.cnf.xml');
    const line21 = readFileSync(fixture('provisioning', 'lkml-teo', 'XMLDefault.cnf.xml'), 'utf8').split('\n')[20]!;
    assert.deepEqual(at(cfg.problems), [['XML_TYPOGRAPHIC_QUOTE', 21, line21.indexOf('\u201D') + 1]]);
    assert.match(cfg.problems[0]!.message, /U\+201D/);
    assert.equal(cfg.root?.value, 'Default');
    assert.equal(cfg.hasCallManager, true);
    assert.deepEqual([cfg.processNodeName?.value, cfg.processNodeName?.line], ['', 13]);
    assert.deepEqual(
      cfg.loadInformation.map((l) => [l.element, l.model?.value, l.load.value]),
      [
        ['loadInformation8', 'IP Phone 7940', 'P0S3-8-12-00'],
        ['loadInformation7', 'IP Phone 7960', 'P0S3-8-12-00'],
        ['loadInformation435', 'Cisco 7945', 'SIP45.8-4-2S'],
        ['loadInformation436', 'Cisco 7965', 'SIP45.8-4-2S'],
        ['loadInformation30006', 'IP Phone 7970', 'SIP70.8-0-3S'],
      ],
    );
    const for7960 = loadsForModel(cfg, '7960');
    const for7940 = loadsForModel(cfg, '7940');
    assert.deepEqual(
      for7960.map((l) => [l.load.value, l.load.line, l.load.column, l.image?.image.protocol]),
      [['P0S3-8-12-00', 19, '<loadInformation7 model="IP Phone 7960">'.length + 1, 'SIP']],
    );
    assert.deepEqual(
      for7940.map((l) => [l.load.value, l.load.line]),
      [['P0S3-8-12-00', 18]],
    );
    assert.equal(for7960[0]!.load.file, 'XMLDefault.cnf.xml');
  });

  it('reads the LKML-TEO SEP000E84C060A6.cnf.xml: SIP, a plain <loadInformation model="IP Phone 7960">', () => {
    const cfg = parseSccpXml(lkml('SEP000E84C060A6.cnf.xml'), 'SEP000E84C060A6.cnf.xml');
    assert.deepEqual(cfg.problems, []);
    assert.equal(cfg.root?.value, 'device');
    assert.deepEqual([cfg.deviceProtocol?.value, cfg.deviceProtocol?.line], ['SIP', 2]);
    assert.equal(cfg.hasCallManager, false);
    assert.equal(cfg.processNodeName, undefined);
    const [load] = loadsForModel(cfg, '7960');
    assert.deepEqual(
      [load?.id, load?.phoneModel, load?.load.value, load?.load.line],
      [undefined, '7960', 'P0S3-8-12-00', 3],
    );
    assert.deepEqual(loadsForModel(cfg, '7940'), []);
  });

  it('reads the voip-info fix for a UAL loop (facts 2.2)', () => {
    const cfg = parseSccpXml(
      '<device>\n<loadInformation7 model="IP Phone 7960">P0S3-07-2-00</loadInformation7>\n</device>\n',
      'SEP0006537B84EF.cnf.xml',
    );
    assert.deepEqual(cfg.problems, []);
    assert.deepEqual(
      loadsForModel(cfg, '7960').map((l) => [l.id, l.load.value]),
      [[7, 'P0S3-07-2-00']],
    );
  });

  it('says so when the SEP file is empty (it ended in "Protocol Application Invalid", facts 2.2)', () => {
    for (const text of ['', '\n  \n']) {
      const cfg = parseSccpXml(text, 'SEP0006537B84EF.cnf.xml');
      assert.equal(cfg.empty, true);
      assert.deepEqual(
        cfg.problems.map((p) => p.code),
        ['XML_EMPTY'],
      );
    }
  });

  it('reports an unclosed tag where it opens and still returns the load', () => {
    const cfg = parseSccpXml(
      '<device>\n<deviceProtocol>SIP</deviceProtocol>\n<loadInformation ' +
        'model="IP Phone 7960">P0S3-8-12-00\n</device>\n',
      'SEP000E84C060A6.cnf.xml',
    );
    assert.deepEqual(at(cfg.problems), [['XML_UNCLOSED_TAG', 3, 1]]);
    assert.equal(loadsForModel(cfg, '7960')[0]?.load.value, 'P0S3-8-12-00');
    assert.equal(cfg.deviceProtocol?.value, 'SIP');
  });

  it('reports a stray & with its column and keeps the text', () => {
    const text = '<Default>\n<servicesURL>http://192.0.2.9/menu.php?a=1&b=2</servicesURL>\n</Default>\n';
    const doc = readXml(text, 'XMLDefault.cnf.xml');
    assert.deepEqual(at(doc.problems), [
      ['XML_STRAY_AMPERSAND', 2, '<servicesURL>http://192.0.2.9/menu.php?a=1'.length + 1],
    ]);
    assert.equal(doc.roots[0]?.children[0]?.text, 'http://192.0.2.9/menu.php?a=1&b=2');
    assert.deepEqual(readXml('<a x="1 &amp; 2">&lt;&#65;&#x42;</a>', 'f.xml').roots[0]?.text, '<AB');
  });

  it('reports a closing tag that does not match and a second root', () => {
    const doc = readXml('<device>\n<deviceProtocol>SIP</deviceprotocol>\n</device>\n<device/>\n', 'SEP.cnf.xml');
    assert.deepEqual(at(doc.problems), [
      ['XML_MISMATCHED_TAG', 2, 20],
      ['XML_SYNTAX', 4, 1],
    ]);
    assert.equal(doc.roots.length, 2);
  });

  it('warns when the load tag number and the model attribute name different phones', () => {
    const cfg = parseSccpXml(
      '<Default>\n<loadInformation7 model="IP Phone 7940">P0S3-8-12-00</loadInformation7>\n</Default>\n',
      'XMLDefault.cnf.xml',
    );
    assert.deepEqual(at(cfg.problems), [['XML_LOAD_MODEL_MISMATCH', 2, 19]]);
    assert.equal(cfg.loadInformation[0]?.phoneModel, '7960');
  });

  it('reports a letter O in a 7960 load as IMAGE_NAME_LETTER_O at the load text', () => {
    const cfg = parseSccpXml(
      '<Default>\n<loadInformation7 model="IP Phone 7960">POS3-8-12-00</loadInformation7>\n</Default>\n',
      'XMLDefault.cnf.xml',
    );
    const o = cfg.problems.find((p) => p.code === 'IMAGE_NAME_LETTER_O');
    assert.ok(o, JSON.stringify(cfg.problems));
    assert.deepEqual(
      [o.line, o.column, o.findingId],
      [2, '<loadInformation7 model="IP Phone 7960">'.length + 1, 'IMAGE_NAME_LETTER_O'],
    );
  });
});

describe('dialplan.xml', () => {
  it('reads the LKML-TEO dial template', () => {
    const plan = parseDialPlan(lkml('dialplan.xml'), 'dialplan.xml');
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.root?.value, 'DIALTEMPLATE');
    assert.deepEqual(
      plan.templates.map((t) => [t.match?.value, t.timeout?.value, t.line]),
      [['*', 5, 2]],
    );
  });

  it('accepts the empty <dialplan></dialplan> of DE-BLOG', () => {
    const plan = parseDialPlan('<dialplan></dialplan>\n', 'dialplan.xml');
    assert.deepEqual(plan.problems, []);
    assert.deepEqual([plan.root?.value, plan.templates.length], ['dialplan', 0]);
  });

  it('reports a template without MATCH and a Timeout that is not a number', () => {
    const plan = parseDialPlan('<DIALTEMPLATE>\n<TEMPLATE Timeout="five"/>\n</DIALTEMPLATE>\n', 'dialplan.xml');
    assert.deepEqual(at(plan.problems), [
      ['DIALPLAN_TEMPLATE', 2, 1],
      ['DIALPLAN_TEMPLATE', 2, 11],
    ]);
  });
});

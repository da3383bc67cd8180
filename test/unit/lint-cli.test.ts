import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/findings/report-schema.js';
import { fixture } from '../helpers.js';
import { runCli } from '../run-cli.js';

const phonedoc = runCli;

const root = (name: string): string => fixture('tftp-roots', name);

describe('phonedoc lint (the CLI, run in process)', () => {
  it('exits 0 on the correct root, with no finding but the typographic quote of its real XMLDefault.cnf.xml', async () => {
    const run = await phonedoc('lint', root('correct'), '--mac', '000E84C060A6', '--current', 'SIP 8.12');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\b0\s+errors,\s+1\s+warning/);
    assert.match(run.stdout, /WARNING CONFIG_MALFORMED/);
    assert.match(run.stdout, /Phone 00:0e:84:c0:60:a6/);
    assert.match(run.stdout, /SEP000E84C060A6\.cnf\.xml {2}ok/);
  });

  it('exits 1 on an error finding and prints it with evidence and numbered fixes under the phone', async () => {
    const run = await phonedoc(
      'lint',
      root('broken-lowercase-mac'),
      '--mac',
      '002094D245CB',
      '--current',
      'SCCP 3.3(3)',
    );
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.split('\n');
    const phone = lines.indexOf('Phone 00:20:94:d2:45:cb');
    const error = lines.findIndex((l) => l.includes('ERROR FILE_NAME_CASE'));
    assert.ok(phone >= 0 && error > phone, run.stdout);
    assert.match(run.stdout, /Evidence:\n {6}sip002094d245cb\.cnf {2}/);
    assert.match(run.stdout, /Fix:\n {6}1\. Rename sip002094d245cb\.cnf to SIP002094D245CB\.cnf/);
  });

  it('exits 0 when only warnings are found, errors listed before warnings', async () => {
    const run = await phonedoc('lint', root('broken-sources-disagree'));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /0\s+errors,\s+2\s+warnings/);
    const several = await phonedoc('lint', root('broken-sources-disagree'), '--current', 'SIP 2.3');
    assert.equal(several.status, 1);
    const first = (s: string) => several.stdout.indexOf(s);
    assert.ok(first('ERROR ') < first('WARNING '), several.stdout);
  });

  it('exits 2 with the path in the message for a root that does not exist or is a file', async () => {
    const missing = path.join(root('correct'), 'no-such-dir');
    const run = await phonedoc('lint', missing);
    assert.equal(run.status, 2);
    assert.ok(run.stderr.includes(missing), run.stderr);
    assert.equal(run.stdout, '');
    const file = await phonedoc('lint', path.join(root('correct'), 'OS79XX.TXT'));
    assert.equal(file.status, 2);
    assert.match(file.stderr, /OS79XX\.TXT is not a directory/);
  });

  it('exits 2 with a clear sentence for bad options', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--mac', '00:0e:84'], /--mac "00:0e:84" is not a MAC address/],
      [['--current', 'P003-8-12-00'], /--current "P003-8-12-00": .*Universal Application Loader/],
      [['--target', 'banana'], /--target "banana"/],
      [['--w210-limit', 'big'], /--w210-limit "big" is not a number of bytes/],
      [['--model', '7970'], /7970/],
      [['--format', 'xml'], /xml/],
    ];
    for (const [args, expected] of cases) {
      const run = await phonedoc('lint', root('correct'), ...args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, expected);
      assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');
    }
  });

  it('predicts one phone per --mac and takes versions as "SIP 6.3" or image names', async () => {
    const run = await phonedoc(
      'lint',
      root('correct'),
      '--mac',
      '000E84C060A6',
      '--mac',
      '0006537B84EF',
      '--current',
      'P0S3-06-3-00',
      '--format',
      'json',
    );
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(
      report.phones.map((p) => p.mac),
      ['00:0e:84:c0:60:a6', '00:06:53:7b:84:ef'],
    );
    assert.ok(report.phones.every((p) => p.running?.version === '6.3'));
    assert.ok(report.findings.filter((f) => f.id === 'UPGRADE_PATH_BLOCKED').length === 2, 'one per phone');
    assert.equal(run.status, 1);
  });

  it('--w210-limit moves the size a SIP 2.x phone is taken to fail on', async () => {
    const strict = JSON.parse(
      (await phonedoc('lint', root('correct'), '--current', 'SIP 2.3', '--w210-limit', '1024', '--format', 'json'))
        .stdout,
    ) as Report;
    const relaxed = JSON.parse(
      (await phonedoc('lint', root('correct'), '--current', 'SIP 2.3', '--format', 'json')).stdout,
    ) as Report;
    assert.ok(strict.findings.some((f) => f.id === 'BUFFER_FULL_W210_RISK'));
    assert.ok(!relaxed.findings.some((f) => f.id.startsWith('BUFFER_FULL_W210')));
  });
});

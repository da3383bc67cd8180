/**
 * Keys of SIPDefault.cnf / SIP<MAC>.cnf known to phonedoc (facts 5.1: Cisco's sample files
 * as published in DE-BLOG, and the real files of LKML-TEO). The list is not Cisco's full
 * parameter list: a key missing here is reported as unknown only at `info` level, unless
 * it is one edit away from a known key.
 */

/** Keys numbered 1..6 (the 7960 has six line buttons; Cisco's samples number proxies and call managers 1..6). */
const NUMBERED = {
  line: ['name', 'authname', 'password', 'displayname', 'shortname'],
  proxy: ['address', 'port'],
  call_manager: ['addr', 'sip_port'],
} as const;

export const NUMBERED_KEY_MAX = 6;

const KEYS: readonly string[] = [
  'image_version',
  'tftp_cfg_dir',
  'proxy_register',
  'proxy_backup',
  'proxy_backup_port',
  'proxy_emergency',
  'proxy_emergency_port',
  'outbound_proxy',
  'outbound_proxy_port',
  'timer_register_expires',
  'preferred_codec',
  'tos_media',
  'enable_vad',
  'network_media_type',
  'dtmf_inband',
  'dtmf_outofband',
  'dtmf_db_level',
  'dtmf_avt_payload',
  'timer_t1',
  'timer_t2',
  'sip_retx',
  'sip_invite_retx',
  'timer_invite_expires',
  'dial_template',
  'autocomplete',
  'sntp_server',
  'sntp_mode',
  'time_zone',
  'time_format_24hr',
  'dst_offset',
  'dst_auto_adjust',
  'dst_start_month',
  'dst_start_day',
  'dst_start_day_of_week',
  'dst_start_week_of_month',
  'dst_start_time',
  'dst_stop_month',
  'dst_stop_day',
  'dst_stop_day_of_week',
  'dst_stop_week_of_month',
  'dst_stop_time',
  'dnd_control',
  'callerid_blocking',
  'anonymous_call_block',
  'call_waiting',
  'call_hold_ringback',
  'stutter_msg_waiting',
  'call_stats',
  'cnf_join_enable',
  'semi_attended_transfer',
  'remote_party_id',
  'user_info',
  'sync',
  'nat_enable',
  'nat_address',
  'nat_received_processing',
  'voip_control_port',
  'start_media_port',
  'end_media_port',
  'telnet_level',
  'phone_label',
  'phone_prompt',
  'phone_password',
  'services_url',
  'directory_url',
  'logo_url',
  'messages_uri',
  'http_proxy_addr',
  'http_proxy_port',
  'dyn_dns_addr_1',
  'dyn_dns_addr_2',
  'dyn_tftp_addr',
];

export type NumberedKeyFamily = keyof typeof NUMBERED;

export interface NumberedKey {
  readonly family: NumberedKeyFamily;
  /** 1-based line, proxy or call-manager number. */
  readonly index: number;
  readonly field: string;
}

const NUMBERED_PATTERN = /^(line|proxy|call_manager)([1-9][0-9]*)_([a-z_]+)$/;

/** `line3_authname` → { family: 'line', index: 3, field: 'authname' }, for numbered keys of the known families. */
export function numberedKey(key: string): NumberedKey | undefined {
  const m = NUMBERED_PATTERN.exec(key);
  if (!m) return undefined;
  const [, familyName, digits, field = ''] = m;
  const family = familyName as NumberedKeyFamily;
  const fields: readonly string[] = NUMBERED[family];
  const index = Number(digits);
  if (!fields.includes(field) || index > NUMBERED_KEY_MAX) return undefined;
  return { family, index, field };
}

export function isKnownCnfKey(key: string): boolean {
  return KEYS.includes(key) || numberedKey(key) !== undefined;
}

const ALL_KEYS: readonly string[] = [
  ...KEYS,
  ...Object.entries(NUMBERED).flatMap(([family, fields]) =>
    Array.from({ length: NUMBERED_KEY_MAX }, (_, i) => fields.map((field) => `${family}${i + 1}_${field}`)).flat(),
  ),
];

/**
 * The known key closest to an unknown one: same letters in other case, or at most one
 * edit (insert, delete, substitute, swap of neighbours) away, two for keys of 10+ letters.
 */
export function suggestCnfKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const limit = lower.length >= 10 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const known of ALL_KEYS) {
    const d = editDistance(lower, known, bestDistance);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal-string-alignment distance, giving up (returning `cap`) once it cannot be below `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= cap) return cap;
    before = previous;
    previous = row;
  }
  return Math.min(previous[b.length]!, cap);
}

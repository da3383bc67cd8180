import type { ConsoleErrorCode } from '../../parsers/console/events.js';
import type { EvidenceSource, Severity } from './finding.js';

/**
 * The finding catalog: every ID of ../shared/diagnoses.md (a contract — an ID never changes
 * meaning), with the words `explain`, `lint` and `analyze` use. Rules fill in the evidence and
 * may sharpen the title for the case at hand; the meaning stays the one written here.
 */
interface EntryOf<Id extends string> {
  readonly id: Id;
  readonly severity: Severity;
  readonly topic: 'dhcp' | 'files' | 'firmware' | 'evidence';
  /** One line, as shown in lists. */
  readonly title: string;
  /** Plain words: what happened and why it matters. */
  readonly explanation: string;
  /** Concrete steps, in order. */
  readonly fix: readonly string[];
  /** Where the knowledge comes from: public documents a user can look up. */
  readonly source: string;
  /**
   * The findings that can cause this one, most likely first. A rule that sees the file at
   * fault names one of them (`causedBy`: no other compiles); a finding about the whole phone (one with
   * `causeShownBy`) is pointed at the first of them reported. Either way, in `analyze` and
   * `lint` alike, its fix becomes that cause's fix (src/findings/causes.ts).
   */
  readonly causes?: readonly Id[];
  /** For a finding about the whole phone: the inputs that would show which cause it is when none is reported, and what they show. */
  readonly causeShownBy?: { readonly inputs: readonly EvidenceSource[]; readonly what: string };
  /** The console error text that is this finding by itself, when the phone shows it. */
  readonly shownOnConsole?: ConsoleErrorCode;
}

const TN5455 =
  'Cisco tech note "Converting a Cisco 7940/7960 SCCP Phone to a SIP Phone and the Reverse Process" (Document ID 5455)';
const CME = 'Cisco Unified CME System Administrator Guide, "Install and Upgrade Cisco Unified CME Software"';

const ENTRIES = [
  // DHCP and reaching the TFTP server
  {
    id: 'DHCP_NO_OFFER',
    severity: 'error',
    topic: 'dhcp',
    title: 'The phone asks for an address and no DHCP server answers',
    explanation:
      'The phone sent DHCP DISCOVER messages and no OFFER came back, so it has no address and cannot reach a TFTP server. The LCD usually shows "DHCP timeout".',
    fix: [
      "Check that a DHCP server serves the phone's VLAN (voice VLAN from CDP, or the access VLAN) and has free addresses.",
      "If the server is on another subnet, check the relay (ip helper-address) on the phone's gateway.",
      'Or give the phone a static address: Settings > Network Configuration, DHCP Enabled = No.',
    ],
    source:
      'RFC 2131, section 3.1 (the DHCPDISCOVER/DHCPOFFER exchange); the phone\'s status message "DHCP timeout" (Cisco Unified IP Phone administration guides, "Status Messages")',
  },
  {
    id: 'DHCP_NAK',
    severity: 'error',
    topic: 'dhcp',
    title: "The DHCP server refused the phone's request (NAK)",
    explanation:
      'The phone asked to use an address and the server answered DHCPNAK: the address is wrong for this subnet or taken. The phone starts over and may loop.',
    fix: [
      "Look at the server that sent the NAK: the requested address must belong to a scope of the phone's subnet.",
      'If two DHCP servers serve this segment, keep one (see DHCP_MULTIPLE_SERVERS).',
    ],
    source: 'RFC 2131, section 3.1 and 4.3.2 (DHCPNAK)',
  },
  {
    id: 'DHCP_NO_TFTP_SERVER',
    severity: 'error',
    topic: 'dhcp',
    title: 'DHCP gave the phone no TFTP server',
    explanation:
      'The DHCP ACK the phone accepted has no option 66, no option 150 and no usable next-server (siaddr), and the phone then requested nothing over TFTP. Without a TFTP server the phone cannot load its configuration or a new image.',
    fix: [
      "Add option 66 (TFTP server address or name; what SIP images look for) and, for SCCP phones, option 150 to the phone's DHCP scope.",
      'Or on the phone: Settings > Network Configuration > Alternate TFTP = Yes, then enter the TFTP server address.',
    ],
    source: `${TN5455}, section "Configure the Phone Network Settings via DHCP"`,
  },
  {
    id: 'DHCP_SIP_NEEDS_OPTION_66',
    severity: 'warning',
    topic: 'dhcp',
    title: 'A SIP phone is given option 150 only',
    explanation:
      'CallManager (SCCP) phones take their TFTP server from option 150; SIP images look for option 66. A phone that runs, or is being converted to, SIP may not find the TFTP server with option 150 alone.',
    fix: [
      'Add option 66 with the same TFTP server address to the DHCP scope.',
      'Or set Alternate TFTP on the phone and enter the server by hand.',
    ],
    source: `${TN5455}: CallManager uses option 150, SIP phones use option 66`,
  },
  {
    id: 'DHCP_TFTP_OPTIONS_DISAGREE',
    severity: 'warning',
    topic: 'dhcp',
    title: 'DHCP names different TFTP servers',
    explanation:
      'Option 66 and option 150 (or two DHCP servers) point at different TFTP servers. Which one a 7940/7960 uses is not documented, so the phone may load files from the server you did not prepare.',
    fix: [
      'Make option 66 and option 150 name the same server, or drop the one you do not use.',
      'Check that only one DHCP server answers on this segment.',
    ],
    source:
      'RFC 2132, section 9.4 (option 66); RFC 5859 (option 150); which one a 7940/7960 prefers is not documented by Cisco',
  },
  {
    id: 'DHCP_MULTIPLE_SERVERS',
    severity: 'warning',
    topic: 'dhcp',
    title: 'More than one DHCP server answers the phone',
    explanation:
      'Several DHCP servers sent offers with different contents. The phone takes one of them; its TFTP server and address may change from one boot to the next.',
    fix: [
      'Find the unexpected server (its address is in the evidence) and switch it off for this segment, or make the offers agree.',
    ],
    source: 'RFC 2131, section 3.1 (a client may receive several offers)',
  },
  {
    id: 'TFTP_SERVER_UNREACHABLE',
    severity: 'error',
    topic: 'dhcp',
    title: 'The TFTP server does not answer',
    explanation:
      'The phone\'s read requests get no answer (it retries and times out), or an ICMP "port unreachable"/"host unreachable" comes back. The LCD typically shows "TFTP Timeout".',
    fix: [
      'Check that the TFTP server runs and listens on UDP port 69 of the address the phone uses.',
      'Check firewalls between phone and server: TFTP answers come from a new UDP port, so allow the whole exchange, not only port 69.',
      "Check the route from the phone's subnet to the server.",
    ],
    source: 'RFC 1350 (TFTP), section 2; the phone\'s status message "TFTP Timeout"',
  },
  {
    id: 'TFTP_PRODUCTION_SERVER',
    severity: 'warning',
    topic: 'dhcp',
    title: 'The conversion is driven from the production TFTP server',
    explanation:
      'The files that convert this phone sit on the TFTP server that DHCP hands to every phone, so every phone that reboots may convert too.',
    fix: [
      'Put the conversion files on a separate TFTP server.',
      'On the one phone: Settings > Network Configuration > Alternate TFTP = Yes, TFTP Server = the separate server.',
    ],
    source: `${TN5455}, section "TFTP Accessibility and Impact on Network"`,
  },
  // The files the phone asks for
  {
    id: 'CTL_NOT_FOUND_NORMAL',
    severity: 'info',
    topic: 'files',
    title: 'CTL file not found: normal, not the cause',
    explanation:
      'The phone asks for CTLSEP<MAC>.tlv (security files) on every boot. On a system without security the server answers File not found, and the phone goes on. Do not chase this.',
    fix: ['Nothing to do.'],
    source:
      'a real tftpd-hpa log of a 7960 booting SIP 8.12 (Teo En Ming, "Guide to Configuring Asterisk/FreePBX with Cisco 7960 IP Phones", linux-kernel list, 24 Dec 2020)',
  },
  {
    id: 'OS79XX_MISSING',
    severity: 'error',
    topic: 'files',
    title: 'OS79XX.TXT is not on the TFTP server',
    explanation:
      'The phone requested OS79XX.TXT and got File not found. In this conversion flow that file tells the phone which image to load; without it the phone keeps what it runs.',
    fix: [
      'Create OS79XX.TXT in the TFTP root with exactly one line: the image name without extension (e.g. P0S3-8-12-00 or P00308010200).',
      'Mind the case of the file name: OS79XX.TXT.',
    ],
    source: `${TN5455}, sections on the SCCP to SIP conversion flows`,
  },
  {
    id: 'OS79XX_SYNTAX',
    severity: 'error',
    topic: 'files',
    title: 'OS79XX.TXT does not hold exactly one image name',
    explanation:
      'OS79XX.TXT must contain only the image name, without extension and without trailing spaces or carriage return (bug CSCdv19260), in the form of the target version: SIP 2.3 and earlier P0S3xxyy, SIP 3.0 and later P0S3-xx-y-zz, SCCP P003aabbccdd. Otherwise the phone asks for a file that does not exist and goes Unprovisioned.',
    fix: [
      "Write the image name alone on one line, no .bin, no spaces, no Windows line end (e.g. printf 'P0S3-8-12-00' > OS79XX.TXT).",
      'Check the form matches the version you load.',
    ],
    source: `${TN5455}, section "IP Phones go to Unprovisioned State"; Cisco bug CSCdv19260`,
  },
  {
    id: 'IMAGE_NAME_LETTER_O',
    severity: 'error',
    topic: 'files',
    title: 'An image name uses the letter O instead of the digit 0',
    explanation:
      'Cisco image names start with P-zero (P0S3…, P003…). With the letter O (POS3…) the phone requests a file that never exists. The tech note itself prints POS3 in places, so this is an easy copy mistake.',
    fix: [
      'Replace the letter O by the digit 0 in the image name wherever it is written (OS79XX.TXT, image_version, loadInformation).',
    ],
    source: `${TN5455} (prints "POS3" in its examples); Cisco's firmware zips spell the names with the digit 0 (P0S3-8-12-00, P00308010200)`,
  },
  {
    id: 'IMAGE_NOT_FOUND',
    severity: 'error',
    topic: 'files',
    title: 'The phone asked for an image file that is not on the server',
    explanation:
      'The phone requested a firmware file (.bin, .sbn, .loads or .sb2) and the server answered File not found. The name came from OS79XX.TXT, image_version or loadInformation.',
    fix: [
      'Unpack the whole firmware zip into the TFTP root (not into a subfolder).',
      'Check that the name in the configuration matches the file name exactly, letter case included.',
    ],
    causes: ['FILE_NAME_CASE', 'IMAGE_NAME_LETTER_O', 'OS79XX_SYNTAX', 'IMAGE_VERSION_SYNTAX', 'GKDEFAULT_UPGRADECODE'],
    source: `${TN5455}, sections on the conversion flows`,
  },
  {
    id: 'LOADS_PART_MISSING',
    severity: 'error',
    topic: 'files',
    title: 'The .loads file was served but a part it needs is missing',
    explanation:
      'A .loads file names the application image (.sb2) and the loader (.sbn/.bin). One of them is not on the server: the zip was not unpacked whole into the TFTP root, or files were copied by hand. This typically ends in "Protocol Application Invalid".',
    fix: [
      'Unpack the whole firmware zip into the TFTP root, every file of it, copied in binary mode.',
      'Reboot the phone: it fetches the .loads again, then the part it missed.',
    ],
    causes: ['FILE_NAME_CASE'],
    source: `${TN5455}, section ""Protocol Application Invalid" Error"`,
  },
  {
    id: 'FILE_NAME_CASE',
    severity: 'error',
    topic: 'files',
    title: 'A file exists only in another letter case',
    explanation:
      'The phone asked for a file the server does not have, but the same name exists in other letter case. TFTP servers on UNIX are case sensitive: the MAC in SIP<MAC>.cnf and SEP<MAC>.cnf.xml is upper case, the extension .cnf lower case.',
    fix: ['Rename the file to exactly the name the phone requests (shown in the evidence).'],
    source: `${TN5455} (SIP<MAC>.cnf: MAC in upper case, .cnf in lower case)`,
  },
  {
    id: 'SIP_MAC_CONFIG_MISSING',
    severity: 'warning',
    topic: 'files',
    title: 'SIP<MAC>.cnf was not found: the phone has no lines',
    explanation:
      'The phone asked for its own SIP configuration (with any tftp_cfg_dir prefix) and it is not there, so no line is configured and the phone stays unregistered.',
    fix: [
      'Create SIP<MAC>.cnf (MAC in upper case, .cnf in lower case) in the TFTP root or in tftp_cfg_dir, with line1_name, line1_authname, line1_password and the proxy.',
    ],
    causes: ['FILE_NAME_CASE'],
    source: `${TN5455}, section "Enable SIP Functionality", step 3`,
  },
  {
    id: 'SIP_DEFAULT_MISSING',
    severity: 'warning',
    topic: 'files',
    title: 'SIPDefault.cnf was not found',
    explanation:
      'The phone asked for SIPDefault.cnf, the settings common to all SIP phones, and the server does not have it. The phone keeps the values in its flash; image_version from this file is not seen.',
    fix: ['Create SIPDefault.cnf in the TFTP root (exact case), at least with image_version of the SIP image to run.'],
    causes: ['FILE_NAME_CASE'],
    source: `${TN5455}, section "Enable SIP Functionality"`,
  },
  {
    id: 'SCCP_CONFIG_MISSING',
    severity: 'warning',
    topic: 'files',
    title: 'No SCCP configuration file for this phone',
    explanation:
      'Neither SEP<MAC>.cnf.xml nor XMLDefault.cnf.xml was found, for a phone running or converting to SCCP (or the Universal Application Loader). Its loadInformation is what tells the phone which load to run.',
    fix: [
      'Create SEP<MAC>.cnf.xml (or XMLDefault.cnf.xml) with <loadInformation> naming the load, and the CallManager group.',
    ],
    causes: ['FILE_NAME_CASE'],
    source:
      'Cisco Unified CallManager / CME guides (SEP<MAC>.cnf.xml, XMLDefault.cnf.xml); voip-info.org "Firmware issues on 7940 - 7960" (an empty SEP file ended in Protocol Application Invalid)',
  },
  {
    id: 'NO_LOAD_SPECIFIED',
    severity: 'error',
    topic: 'files',
    title: 'No configuration names an image ("No Load Specified")',
    explanation:
      'None of the files the phone read names an image (image_version, loadInformation, OS79XX.TXT) while its flash has no application: the phone shows "No Load Specified".',
    fix: [
      'Name the image in the configuration the phone reads: image_version in SIPDefault.cnf, loadInformation in SEP<MAC>.cnf.xml, or OS79XX.TXT.',
    ],
    causes: ['OS79XX_MISSING', 'IMAGE_VERSION_SYNTAX', 'CONFIG_MALFORMED', 'SCCP_CONFIG_MISSING'],
    causeShownBy: {
      inputs: ['tftp-root', 'capture', 'server-log'],
      what: 'which configuration files there are, what they name, and which of them the phone asked for and got',
    },
    shownOnConsole: 'NO_LOAD_SPECIFIED',
    source: `${TN5455}, section ""No Load Specified" Error"`,
  },
  {
    id: 'IMAGE_VERSION_SYNTAX',
    severity: 'error',
    topic: 'files',
    title: 'image_version / loadInformation is written wrongly',
    explanation:
      'The image is named with an extension, quoted wrongly, or in a form that matches no Cisco scheme, so the phone requests a file that does not exist or ignores the value.',
    fix: [
      'Write the image name without extension, e.g. image_version: P0S3-8-12-00, or <loadInformation>P00308010200</loadInformation>.',
    ],
    source: `${TN5455}, section ""Protocol Application Invalid" Error" (image_version must name the image)`,
  },
  {
    id: 'IMAGE_SOURCES_DISAGREE',
    severity: 'warning',
    topic: 'files',
    title: 'OS79XX.TXT, image_version and loadInformation name different images',
    explanation:
      "The phone's choice then depends on its version: older images follow OS79XX.TXT, from SIP 7.x the configuration files win. The result may not be the image you meant.",
    fix: [
      'Make OS79XX.TXT, image_version (SIPDefault.cnf / SIP<MAC>.cnf) and loadInformation name the same target image.',
    ],
    source: `${TN5455}, section "SCCP Image 6.x/Later and SIP Image 7.x/Later"; Cisco Document ID 72029`,
  },
  {
    id: 'TFTP_ACCESS_DENIED',
    severity: 'error',
    topic: 'files',
    title: 'The TFTP server refuses to send a file (access violation)',
    explanation:
      'The server answered "Access violation"/"permission denied": the file exists but the TFTP server\'s user may not read it.',
    fix: [
      'Make the files world readable: chmod a+r on the files and a+x on the directories of the TFTP root (the tech note suggests chmod 777).',
    ],
    source: `${TN5455}, section "Enable SIP Functionality", step 3`,
  },
  {
    id: 'UAL_HUNT_STOPPED',
    severity: 'error',
    topic: 'files',
    title: 'The Universal Application Loader stopped hunting for config files',
    explanation:
      'The server answered a configuration request with an error other than File not found. The loader only goes on to the next config file when the answer is exactly File not found; any other error stops the hunt (bug CSCee31047).',
    fix: ['Make the TFTP server answer File not found (code 1) for missing files, or provide the file it asked for.'],
    causes: ['TFTP_ACCESS_DENIED'],
    source: 'Cisco bug CSCee31047; cisco-voip mailing list, January 2005',
  },
  {
    id: 'TFTP_TRANSFER_FAILED',
    severity: 'error',
    topic: 'files',
    title: 'A TFTP transfer started and did not finish',
    explanation:
      'The transfer began but ended with timeouts, too many retransmissions, an error in the middle, or the phone gave up. The file never arrived whole.',
    fix: [
      'Look for packet loss between phone and server (duplex mismatch, a busy link, a firewall timing out the UDP flow).',
      'Try a TFTP server closer to the phone.',
    ],
    source: 'RFC 1350 (TFTP), sections 2 and 7 (timeouts, premature termination)',
  },
  {
    id: 'BUFFER_FULL_W210',
    severity: 'error',
    topic: 'files',
    title: 'SIPDefault.cnf too large for a SIP 2.x phone ("W210 TFTP Error : buffer full")',
    explanation:
      'SIP 2.x images fail to download a SIPDefault.cnf above a certain size and show "W210 TFTP Error : buffer full".',
    fix: [
      'Reduce SIPDefault.cnf to the single line image_version: <image> (no extension) until the phone runs a newer image.',
      'Make OS79XX.TXT hold only the image name without .bin.',
      'After the upgrade, put the full SIPDefault.cnf back.',
    ],
    source: `${TN5455}, section ""W210 TFTP Error : buffer full" Error"`,
  },
  {
    id: 'SCCP_NAME_TOO_LONG_FOR_SIP21',
    severity: 'error',
    topic: 'files',
    title: 'A SIP 2.1 (or earlier) phone cannot take an SCCP load with a long name',
    explanation:
      'SIP 2.1 and earlier accept only load names of DOS 8.3 form (at most 8 characters before the extension).',
    fix: [
      'Upgrade the phone to a newer SIP image first, then convert to SCCP.',
      'Or rename the SCCP load to an 8.3 name and name it so in OS79XX.TXT.',
    ],
    source: `${TN5455}, section "SIP Phone not Accepting SCCP Load"`,
  },
  // Firmware and conversion path
  {
    id: 'UPGRADE_PATH_BLOCKED',
    severity: 'error',
    topic: 'firmware',
    title: 'The target image is not a legal step from the image the phone runs',
    explanation:
      'Signed images (5.0 and later) cannot go back below 5.0 or to unsigned loads; SIP 2.x/3.x/4.x must go 4.4 → 5.3 → 6.x before 7.x; SCCP → SIP with the loader needs SCCP 5.x first; SIP → SCCP with config files needs SIP 7.x first.',
    fix: [
      'Run phonedoc path with the image the phone runs and the one it should run (e.g. phonedoc path --from "SIP 6.3" --to "SIP 8.12"): it lists each image to load in turn, with its files, or says that no route exists.',
    ],
    source: `${CME}; Cisco 7940/7960 firmware readmes (signed loads from 5.0); ${TN5455}`,
  },
  {
    id: 'SIP3X_4X_VIA_23',
    severity: 'warning',
    topic: 'firmware',
    title: 'Old SCCP to SIP 3.x/4.x failed: go through SIP 2.3 first',
    explanation:
      'Moving from a very old SCCP image straight to SIP 3.x or 4.x often fails; the tech note advises converting to SIP 2.3 first, then to 3.x/4.x.',
    fix: ['Put P0S30203 in OS79XX.TXT with P0S30203.bin in the TFTP root, reboot, then move to the 3.x/4.x image.'],
    source: `${TN5455}, section "Enable SIP Functionality", note to step 4 (no other Cisco document says so)`,
  },
  {
    id: 'IMAGE_AUTH_FAILED',
    severity: 'error',
    topic: 'firmware',
    title: 'The phone rejected the image ("Image Authentication Failed")',
    explanation:
      'The signature check of the new application image failed, or the phone fetched the same image twice and kept the old one: the image is corrupted (an ASCII-mode copy, a truncated file) or not signed for this phone.',
    fix: [
      'Take the image fresh from the Cisco zip and copy it in binary mode.',
      "Check the file size against the zip's.",
    ],
    causes: ['UPGRADE_PATH_BLOCKED', 'SIP3X_4X_VIA_23', 'TFTP_TRANSFER_FAILED'],
    causeShownBy: {
      inputs: ['console', 'capture', 'server-log'],
      what: 'which image the phone ran, which image files it fetched, and whether they arrived whole',
    },
    shownOnConsole: 'IMAGE_AUTHENTICATION_FAILED',
    source: `${TN5455}, section ""Image Authentication Failed" Error"; Cisco Support Community, "7960G SCCP Firmware Upgrade Strange Fail"`,
  },
  {
    id: 'PROTOCOL_APPLICATION_INVALID',
    severity: 'error',
    topic: 'firmware',
    title: '"Protocol Application Invalid": the application image could not be loaded',
    explanation:
      'The application image could not be written to flash, or none is there. Causes: the zip was not unpacked into the TFTP root, files copied by hand, the loader could not load the new image (verification failed, image missing, TFTP errors), or OS79XX.TXT / image_version wrong.',
    fix: [
      'Unpack the whole firmware zip into the TFTP root.',
      'Check OS79XX.TXT and image_version name the image without extension.',
      'Check the phone reaches the TFTP server (DHCP option 66/150 or Alternate TFTP).',
    ],
    causes: [
      'SCCP_NAME_TOO_LONG_FOR_SIP21',
      'LOADS_PART_MISSING',
      'IMAGE_NAME_LETTER_O',
      'OS79XX_SYNTAX',
      'IMAGE_VERSION_SYNTAX',
      'GKDEFAULT_UPGRADECODE',
      'FILE_NAME_CASE',
      'IMAGE_NOT_FOUND',
      'TFTP_ACCESS_DENIED',
      'TFTP_TRANSFER_FAILED',
      'TFTP_SERVER_UNREACHABLE',
      'UAL_HUNT_STOPPED',
      'NO_LOAD_SPECIFIED',
      'SCCP_CONFIG_MISSING',
      'DHCP_NO_TFTP_SERVER',
    ],
    causeShownBy: {
      inputs: ['capture', 'server-log', 'tftp-root'],
      what: 'which image files the phone asked for, what the server answered, and the files themselves',
    },
    shownOnConsole: 'PROTOCOL_APPLICATION_INVALID',
    source: `${TN5455}, section ""Protocol Application Invalid" Error"; Cisco bug CSCee31047`,
  },
  {
    id: 'PHONE_UNPROVISIONED',
    severity: 'error',
    topic: 'firmware',
    title: 'The phone reports Unprovisioned',
    explanation:
      'The phone has no usable configuration. The usual causes: its own configuration file (SIP<MAC>.cnf) is missing, so no line is configured; or OS79XX.TXT has the wrong syntax (it must hold only the image name, without .bin, in the form of the target version), so the phone asked for an image that does not exist.',
    fix: [
      'Find the cause in the files the phone asked for just before: a SIP<MAC>.cnf answered File not found, or an image name from OS79XX.TXT that does not exist.',
      'Fix that file, then reboot the phone.',
    ],
    causes: [
      'SIP_MAC_CONFIG_MISSING',
      'OS79XX_SYNTAX',
      'IMAGE_NAME_LETTER_O',
      'FILE_NAME_CASE',
      'IMAGE_NOT_FOUND',
      'CONFIG_MALFORMED',
    ],
    causeShownBy: {
      inputs: ['capture', 'server-log', 'tftp-root'],
      what: 'whether SIP<MAC>.cnf and the image were found, and what OS79XX.TXT and SIP<MAC>.cnf hold',
    },
    shownOnConsole: 'UNPROVISIONED',
    source: `${TN5455}, section "IP Phones go to Unprovisioned State"; Cisco SIP IP Phone administrator guide (SIP<MAC>.cnf holds the lines)`,
  },
  {
    id: 'GKDEFAULT_UPGRADECODE',
    severity: 'error',
    topic: 'firmware',
    title: 'gkdefault upgradecode line is wrong',
    explanation:
      'The upgradecode: line of gkdefault.txt/.cfg is malformed, names an image that is not in the TFTP root, or its hex date code does not match the image name.',
    fix: [
      'Write upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x<yymmdd><letter>,<image name>, the date code taken from the image name.',
      'Rebuild gkdefault.cfg with cfgfmt -tsip_ptag.dat gkdefault.txt gkdefault.cfg.',
    ],
    source: `${TN5455}, section "SIP Images 5.x,6.x to SCCP Images 5.x/Later"`,
  },
  {
    id: 'CONVERSION_SUCCEEDED',
    severity: 'info',
    topic: 'firmware',
    title: 'The conversion succeeded',
    explanation:
      "The phone fetched and accepted the target image, then requested the target protocol's configuration files.",
    fix: ['Nothing to do.'],
    source: `${TN5455}, sections on the conversion flows`,
  },
  // About the evidence itself
  {
    id: 'CAPTURE_MISSES_PHONE',
    severity: 'warning',
    topic: 'evidence',
    title: "The capture holds none or only part of the phone's exchange",
    explanation:
      "The phone's DHCP/TFTP traffic is missing or starts in the middle: the capture was taken on the wrong SPAN/mirror port or started late.",
    fix: [
      "Capture on the phone's access port (or mirror it), start the capture before the phone reboots, and keep it until the phone is idle.",
    ],
    source: 'how a capture is taken: tcpdump(8) and Wireshark User\'s Guide, "Capturing Live Network Data"',
  },
  {
    id: 'CAPTURE_SNAPLEN_CUT',
    severity: 'warning',
    topic: 'evidence',
    title: 'Packets were cut by the snap length',
    explanation: 'The capture kept only the start of some packets, so file contents cannot be rebuilt from it.',
    fix: ['Capture again with the full packet length (tcpdump -s 0, the default in current versions).'],
    source: 'tcpdump(8), option -s (snaplen)',
  },
  {
    id: 'CLOCKS_UNALIGNED',
    severity: 'info',
    topic: 'evidence',
    title: 'Console and capture clocks differ',
    explanation:
      "The console's times and the capture's times do not agree; phonedoc lined them up with the offset stated here, found by matching the same events in both.",
    fix: ['Nothing to do; override with --console-offset / --log-offset if the alignment is wrong.'],
    source: 'phonedoc lines the clocks up by matching the same events (files requested, DHCP steps) in both inputs',
  },
  {
    id: 'INPUT_DAMAGED',
    severity: 'warning',
    topic: 'evidence',
    title: 'An input is damaged or cut part-way',
    explanation:
      'An input ends in the middle of a record or holds a damaged stretch (a capture stopped by pulling the laptop, a file cut when it was copied). Everything before the damage was read; what happened after it is unknown, so the verdict cannot speak for that part.',
    fix: [
      'Take the file again from where it was made (the capture host, the server), whole, and run the analysis again.',
      'If the capture was stopped abruptly, stop it cleanly next time (Ctrl-C in tcpdump or dumpcap) so the last record is written in full.',
    ],
    source: 'pcap and pcapng file formats (IETF draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng)',
  },
  {
    id: 'INPUT_NOT_UNDERSTOOD',
    severity: 'warning',
    topic: 'evidence',
    title: 'An input holds no line phonedoc understands',
    explanation:
      'None (or few) of the lines of this input were recognised as a console, DHCP-server or TFTP-server line, so it adds no evidence. Either the file is not what the option it was given with expects, or it is in a format phonedoc does not read yet.',
    fix: [
      "Check that the file was given with the right option (--console for the phone's console, --server-log for a DHCP or TFTP server's log).",
      'If it is the right file, look at the first lines listed here: a log wrapped or re-encoded by another program may need to be taken again from the server.',
    ],
    source: 'RFC 3164 and RFC 5424 (syslog formats)',
  },
  {
    id: 'CONFIG_MALFORMED',
    severity: 'warning',
    topic: 'files',
    title: 'A configuration file the phone reads is not well formed',
    explanation:
      'The file is not well formed: XML that a parser cannot read, or a .cnf line that is not "key: value", or a quote left open. What the phone does with such a file is not documented; likely it ignores the damaged part or the whole file.',
    fix: ['Correct the file at the line and column named here, then restart the phone.'],
    source:
      'W3C XML 1.0 (well-formedness); Cisco SIP IP Phone Administrator Guide, "Configuration file parameters" (key: value lines)',
  },
  {
    id: 'PHONE_NOT_COVERED',
    severity: 'info',
    topic: 'evidence',
    title: 'A Cisco phone of another model: the 7940/7960 rules do not apply',
    explanation:
      'This host is a Cisco phone or adapter, but not a 7940 or 7960 (its DHCP vendor class, the files it asks for or its console say so). Its boot and conversion flow differ, so phonedoc does not judge it by the 7940/7960 rules rather than guess.',
    fix: ['Nothing to do for the 7940/7960 conversion; see the firmware release notes of that model for its own flow.'],
    source: 'Cisco IP Phone firmware release notes (each model family has its own loads and boot flow)',
  },
  {
    id: 'BUFFER_FULL_W210_RISK',
    severity: 'warning',
    topic: 'files',
    title: 'SIPDefault.cnf may be too large for a SIP 2.x phone',
    explanation:
      'A phone running SIP 2.x is sent a SIPDefault.cnf larger than such phones are believed to take. The limit is not documented, and no "buffer full" message has been seen, so this is a risk, not a failure: likely the phone shows "W210 TFTP Error : buffer full".',
    fix: [
      'Reduce SIPDefault.cnf to the image_version line alone until the phone runs a newer image; put the rest back after the upgrade.',
    ],
    source: `${TN5455}, section ""W210 TFTP Error : buffer full" Error"; the size limit is not documented`,
  },
] as const satisfies readonly EntryOf<string>[];

/** The ID of a catalog entry: a typo in one is a compile error. */
export type FindingId = (typeof ENTRIES)[number]['id'];

export type CatalogEntry = EntryOf<FindingId>;

/** The findings the catalog lists as causes of `Id` (never for an entry that lists none). */
export type CauseOf<Id extends FindingId> =
  Extract<(typeof ENTRIES)[number], { readonly id: Id }> extends infer E
    ? E extends { readonly causes: readonly (infer C)[] }
      ? C
      : never
    : never;

/** Typed once more as entries of IDs: a cause that is no ID fails to compile here. */
const entries: readonly CatalogEntry[] = ENTRIES;

export const catalog: ReadonlyMap<FindingId, CatalogEntry> = new Map(entries.map((e) => [e.id, e]));

const IDS: ReadonlySet<string> = new Set(catalog.keys());

/** A word from outside (the command line, a JSON file) that is a finding ID. */
export function isFindingId(word: string): word is FindingId {
  return IDS.has(word);
}

export function catalogEntry(id: FindingId): CatalogEntry {
  const entry = catalog.get(id);
  // Every FindingId is an entry's id (the type is made from them): this cannot happen.
  if (!entry) throw new Error(`finding id ${id} is not in the catalog`);
  return entry;
}

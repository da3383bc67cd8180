/**
 * Where the 7940/7960 firmware's exact behaviour is not documented, the boot-flow model
 * makes a choice. Each choice is named here once, with why it was made; predictions list
 * the ones they rested on, and findings built on them say "likely".
 *
 * Documented ground (not assumptions): the order of the SIP 8.12 boot in the real
 * tftpd-hpa log (phone-facts 2.1), the seed tech note's conversion flows, and its
 * statement that SIP 7.x and later compare the images named by the config files with flash.
 */
/**
 * The SIPDefault.cnf size above which a SIP 2.x image is taken to risk "W210 TFTP Error :
 * buffer full". Cisco gives no size (tech note 5455: "above a certain size"; its fix is a
 * file holding the image_version line alone). A real SIP 2.2 phone ran with a SIPDefault.cnf
 * several times 1 KB, so a lower guess would warn about files known to work: 8 KB, above
 * Cisco's full sample (about 4 KB) and such files. Size alone is only ever a risk
 * (BUFFER_FULL_W210_RISK); the error needs the message seen. `--w210-limit` overrides it.
 */
export const W210_SIPDEFAULT_LIMIT_BYTES = 8192;

export const ASSUMPTIONS = {
  /**
   * Seed flows 1 and "SIP 4.x/earlier to SCCP": the phone "requests OS79XX.TXT" first;
   * that every pre-loader image does so first is our reading.
   */
  OS79XX_FIRST_BEFORE_LOADER_ERA:
    'images before the loader era (SIP before 7.0, SCCP before 6.0) ask for OS79XX.TXT first, ' +
    'and an image it names wins over image_version and loadInformation read later',
  /** The 8.12 log shows no OS79XX.TXT request; the seed: from SIP 7.x the config files decide. */
  CONFIG_FILES_WIN_IN_LOADER_ERA:
    'loader-era images (SIP 7.0+, SCCP 6.0+) do not ask for OS79XX.TXT; ' +
    'the first config file that names another image than the one running decides',
  /** Facts 5.1: "phone-specific file overrides default file". */
  PER_PHONE_IMAGE_VERSION_WINS: 'image_version in SIP<MAC>.cnf overrides the one in SIPDefault.cnf',
  /**
   * Not in the 8.12 log (its SEP file existed); SCCP phones fall back to the default file (CM 3.2 guide, facts 5.3).
   */
  XMLDEFAULT_WHEN_SEP_MISSING: 'the phone asks for XMLDefault.cnf.xml only when SEP<MAC>.cnf.xml is not found',
  /** CSCee31047 (facts 2.3): the loader hunts for SIP config files only after "File not found". */
  HUNT_SIP_CONFIG_WITHOUT_SCCP_CONFIG:
    'an SCCP image or the Universal Application Loader with no ' +
    'SEP<MAC>.cnf.xml/XMLDefault.cnf.xml goes on to SIPDefault.cnf and ' +
    "SIP<MAC>.cnf (Cisco tech note 5455: remove the other protocol's config files), " +
    'but only after "File not found" (CSCee31047)',
  /** The seed names .bin in every pre-loader flow; image-name.ts says an old image asks for <name>.bin. */
  PRE_LOADER_FETCHES_BIN: 'an image before the loader era fetches the image a config file names as <name>.bin',
  /** The 8.12 log: the phone fetched P0S3-8-12-00.loads although it already ran 8.12. */
  LOADS_FETCHED_EVERY_BOOT:
    'a loader-era phone fetches <name>.loads whenever a config file names an image, ' +
    'and the parts only when the image differs from flash',
  /** The format of .loads is not known (facts 9.7): its parts are taken from the release's zip. */
  LOADS_PARTS_FROM_ZIP:
    "a .loads file names the loader and .sb2 of its release's zip, " +
    "as Cisco's zips hold them (the .loads format is not documented)",
  /** Seed: P003…bin is the non-secure loader for images before 5.x, P003…sbn the secure one for 5.x and later. */
  LOADER_FILE_BY_SIGNING:
    'a phone on a signed image (5.0 and later) fetches the .sbn loader, an older one the .bin loader; ' +
    'the loader comes before the .sb2 (Cisco Support Community, "7960G SCCP Firmware Upgrade Strange Fail")',
  /**
   * file-names.ts: the phone asks for the first line of OS79XX.TXT plus .bin; the
   * seed says 5.x and later use the secure .sbn loader.
   */
  OS79XX_NAME_FETCHED_AS_BIN:
    'a phone following OS79XX.TXT asks for <line>.bin even on a signed image; ' +
    "Cisco tech note 5455 calls the .sbn the loader of 5.x and later images, so the lint also wants the zip's .sbn",
  /** Seed "SIP 5.x, 6.x to SCCP": the phone "should now download gkdefault.cfg"; when in the boot is not written. */
  GKDEFAULT_AFTER_SIP_CONFIG:
    'SIP 5.x/6.x ask for gkdefault.cfg after their SIP config files, ' +
    'and load the image of its upgradecode; gkdefault and upgradecode are ' +
    'documented for the 7905G/7912G and the ATA (Cisco 7905G/7912G SIP administrator guide); ' +
    'only Cisco tech note 5455 has a 7940/7960 read them',
  /** cfgfmt's output format is not known: the lint reads gkdefault.txt, its source. */
  GKDEFAULT_CFG_FROM_TXT: 'gkdefault.cfg holds what gkdefault.txt holds (it is compiled from it with cfgfmt)',
  /** Facts 2.1 shows RINGLIST.DAT and dialplan.xml on SIP 8.12 only. */
  RINGLIST_DIALPLAN_ON_EVERY_SIP_IMAGE:
    'SIP images before 7.0 also ask for RINGLIST.DAT and the dial plan after their config files',
  /** The seed: SIP 2.x fails on a SIPDefault.cnf "above a certain size"; no size is given. */
  W210_LIMIT:
    `a SIP 2.x image cannot read a SIPDefault.cnf larger than a certain size (Cisco documents no size: ` +
    `phonedoc takes ${W210_SIPDEFAULT_LIMIT_BYTES} bytes unless --w210-limit says otherwise)`,
  /** Without --current the model boots the image the root names, as if the phone already ran it. */
  UNKNOWN_IMAGE_AS_NAMED:
    'the image the phone runs is not known: phonedoc predicts a phone that already ' +
    'runs the image the TFTP root names (config files first, then OS79XX.TXT)',
  /** A move that is not a legal step (src/upgrade) is fetched and then refused. */
  ILLEGAL_STEP_REFUSED: 'the phone fetches an image that is not a legal step and then refuses it or fails to run it',
} as const;

export type AssumptionId = keyof typeof ASSUMPTIONS;

/** At most this many reboots are followed (conversion through the loader takes three). */
export const MAX_PREDICTED_BOOTS = 6;

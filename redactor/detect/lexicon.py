"""Word lists the name rules share: dictionary words, given names, titles, words that are never names.

Everything here is data, loaded once per process from `redactor/data/` and needing no spaCy model, so the
rules can be tested on a mock NLP engine.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

# The model's NER on cable text labels these as persons although they are not; routing and boilerplate
# words of cables are among them.
NOT_NAMES = frozenset(
    """
u/s a/s das fm pm dcm cda pol econ poloff econoff emboff emboffs polcouns charge secretary ambassador
usg gol goi gop sarg gom pol/econ notetaker summary comment end sipdis noforn unclas tags subject ref reftel reason
reasons classified declassify decl
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
executive assistant deputy acting chief head political economic officer counselor counsellor advisor adviser
director coordinator spokesperson representative envoy attache attaché delegate staffer aide
amembassy amconsul secstate usmission usun usnato usdel usdao usint whitehouse washdc embassy embassies
principal senior former vice under staff whip whips
permrep permreps ambassadors mission consulate conoff emboff polchief econchief polmiloff rso dao
congen congenoff congenoffs conoffs amconsulate codel codels staffdel staffdels
""".split()
)

# Where a title may open: not inside a token (`8.PM Bureau`, `AMB/X`), but after `then-` (`THEN-PRESIDENT X`).
TITLE_OPENS = r"(?:(?<![\w./-])|(?<=[Tt][Hh][Ee][Nn]-))"
OFFICER_CODES = r"Emboffs?|Poloffs?|Econoffs?|Conoffs?|Polmiloffs?|Congenoffs?|PDOff"
TITLES = (
    r"Ambassador|Amb\.|Ambassadors|Secretary|Under Secretary|Assistant Secretary|Deputy Secretary|"
    r"U/S|A/S|DAS|PDAS|DCM|CDA|Charge|Charg[eé] d'Affaires|FM|PM|President|Vice President|VP|Minister|"
    r"Deputy Minister|Prime Minister|Premier|Foreign Minister|Senator|Sen\.|Congressman|Congresswoman|Rep\.|"
    r"Governor|Gov\.|Mayor|General|Gen\.|Lt\. Gen\.|Maj\. Gen\.|Brig\. Gen\.|Admiral|Adm\.|Colonel|Col\.|"
    r"Lt\. Col\.|Major|Maj\.|Captain|Capt\.|Lieutenant|Lt\.|Sergeant|Sgt\.|Mr\.|Mrs\.|Ms\.|Dr\.|Prof\.|"
    r"Professor|Judge|Justice|Sheikh|Shaykh|Imam|Father|Rev\.|Bishop|Cardinal|Patriarch|Speaker|King|"
    r"Queen|Prince|Princess|Emir|Amir|Chancellor|Consul General|Consul|Director|Chairman|Chairwoman|"
    r"Spokesman|Spokeswoman|Commissioner|Councillor|Councilor|Deputy|Dep\.|MP|SYG|SecGen|Mr|Mrs|Ms|Dr|"
    # Abbreviations written without their full stop, as all-caps cables do (`GEN AZIMI`).
    r"Gen|Amb|Adm|Col|Maj|Capt|Sgt|Gov|Sen|Brig|Lt|"
    r"Counselor|Counsellor|Minister-Counselor|Minister Counselor|PermRep|Deputy PermRep|Permanent Representative|"
    r"Ambassador-at-Large|Chief Constable|Deputy Chief Constable|Constable|Inspector|Superintendent|Commander|"
    r"Sir|Dame|Lord|Lady|Head|Department Head|Section Head|Chief|Director General|Secretary General|"
    r"SecDef|SecState|USDP|CHOD|SRSG|Deputy Chief Whip|Chief Whip|Whip|Grand Sheikh|Grand Mufti|Mufti|"
    r"Envoy|Special Envoy|Special Representative|Special Advisor|Special Adviser|High Representative|"
    r"High Commissioner|Attorney General|Prosecutor|Prosecutor General|"
    # An adviser to a head of government is an office (`Chancellery Diplomatic Advisor Hans-Peter Manz`).
    r"Diplomatic Advisor|Diplomatic Adviser|National Security Advisor|National Security Adviser|"
    # The leader of a chamber or of the government holds an office (`Senate Leader X`, `government leader X`);
    # a party's leader does not.
    r"Senate Leader|Majority Leader|Minority Leader|House Leader|Government Leader|" + OFFICER_CODES
    # An officer named by a section's code finds the name after it (`EMBOFF FARCOT`); such an officer is junior
    # staff, never released as an official (`officials.JUNIOR_TITLE_RE`).
)
# The office a title names (`Minister of Foreign Affairs`, `Secretary for Economic Development`).
OFFICE_WORDS = (
    r"defen[cs]e|foreign|affairs|interior|internal|justice|finance|economy|economic|trade|industry|energy|"
    r"health|education|transport|transportation|agriculture|state|labou?r|culture|information|tourism|"
    r"communications?|environment|security|planning|development|oil|petroleum|water|housing|commerce|public|"
    r"works|social|welfare|youth|sports?|religious|endowments|awqaf|human|rights|municipal|national|external|"
    r"international|cooperation|investment|telecommunications|science|technology|higher|women|family|"
    r"refugees|electricity|mines|mining|fisheries|the|and|european|political|legal|consular|management|"
    r"administration|arms|control|intelligence|homeland|war|policy|multilateral|bilateral|regional|military|staff|"
    r"army|navy|air|operations|near|middle|east|eastern|western|asian|african|american|global|strategic|"
    # `Minister of Agriculture and Rural Development`
    r"rural|construction|reconstruction|veterans|minorities|ethnic"
)
# One or two offices (`Under Secretary of Defense for Policy`), then perhaps the office's acronym (`Minister of
# the Interior (MOI) Anibal Fernandez`).
OFFICE_RE = r"(?:[ \t]+(?i:of|for)(?:[ \t]+(?i:" + OFFICE_WORDS + r")){1,5}){0,2}(?:[ \t]+\([A-Z]{2,6}\))?"
TITLE_WORDS = frozenset(w.lower().strip(".") for w in re.findall(r"[A-Za-z/.]+", TITLES))
# A title of several words may wrap (`Egyptian Grand\nSheikh Tantawi`).
TITLES = TITLES.replace(" ", r"(?:[ \t]+|[ \t]*\n[ \t]*)")
# Titles that name a person's office, not only their sex or degree: a name after one of these is an official
# acting in that office (the policy's `entities.officials`).
COURTESY_TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "professor", "father", "rev", "sir", "dame", "lady", "sheikh", "shaykh", "imam"}
)
# Words that may stand between a determiner and a title (`the Foreign Minister`).
TITLE_MODIFIERS = frozenset(
    """
foreign prime deputy vice under assistant acting former principal chief senior defense defence interior
finance justice state trade economy economic energy health education transport transportation agriculture
commerce labor labour culture information tourism interim new then outgoing incoming lieutenant major
attorney national security general
""".split()
)
DETERMINERS = frozenset("the a an his her their our its this that these those whose each every".split())
# A name that runs on into one of these is the name of a thing (`Nelson Mandela Square`, `Ba'ath Party`).
THING_WORDS = frozenset(
    """
party union square street avenue road boulevard university college institute foundation bank council
movement front ministry airport hotel center centre committee association school hospital mosque church
cathedral stadium bridge park district province region prize award fund company corporation group forum
agency authority museum library academy club league brigade brigades army navy corps division force forces
accord accords agreement declaration plan process treaty protocol initiative talks summit conference commission
city clinic international
""".split()
)
# Words that open the name of a place (`San Jose`, `Santa Cruz`): a given name after them is not a person's.
PLACE_OPENERS = frozenset(
    "san santa sao são st saint santo port fort mount lake cape puerto porto ciudad nueva nuevo".split()
)
# Saints' names are days, churches and places (`St Patrick's Day`, `St. John's`).
SAINT_RE = re.compile(r"(?:\b(?:St|Saint|ST|SAINT)\.?[ \t]+)$")
# Particles that open a surname (`al-Maleh`, `bin Laden`); the surname is also written without them.
PARTICLES = frozenset("al el bin ibn abu abd de da del della di van von der den le la".split())

# Words for kin: a name after one is a relative's (`his son, Muhammad,`; `his wife Mary Azimi`).
KIN = (
    r"son|daughter|wife|husband|brother|sister|mother|father|cousin|uncle|aunt|nephew|niece|grandson|"
    r"granddaughter|widow|widower|fiancee?"
)
# Nouns for a person, not an office: a name beside one is a private person's (`a shopkeeper, X Y,`).
PERSON_NOUNS = (
    r"shopkeeper|merchant|trader|vendor|businessman|businesswoman|"
    r"journalist|reporter|editor|activist|lawyer|attorney|student|teacher|doctor|physician|nurse|farmer|"
    r"resident|witness|victim|detainee|prisoner|defendant|suspect|driver|owner|employee|worker|colleague|"
    r"friend|neighbou?r|contact|interlocutor|translator|interpreter|blogger|dissident|priest|cleric|monk|"
    r"engineer|banker|economist|analyst|academic|scholar|researcher|landlord|tenant|guard|villager|refugee|"
    r"pensioner|retiree|housewife|mechanic|entrepreneur|parishioner|worshipp?er|protester|demonstrator|"
    r"depositor|investor|customer|client|patient|parent|relative|survivor|eyewitness|voter|candidate|"
    r"fisherm[ae]n|peasant|labou?rer|soldier|policem[ae]n|policewom[ae]n|carpenter|tailor|writer|poet|artist|"
    r"musician|singer|photographer|cameram[ae]n|nun|pastor|petitioner|pilgrim|migrant|smuggler|shopowner"
)
# Verbs of saying: a capitalised word before one speaks (`Zelaya said`); one after a name is not part of it
# (`AZIMI REPLIED`).
SPEECH = (
    r"said|says|stated|noted|told|added|explained|argued|asserted|claimed|commented|confirmed|denied|"
    r"emphasized|emphasised|expressed|indicated|insisted|maintained|observed|remarked|replied|reported|"
    r"responded|stressed|suggested|underscored|urged|warned|asked|agreed|acknowledged|believes|believed|"
    r"thinks|thought|has not|had not|wants|wanted|complained|lamented|opined|predicted|recalled"
)
SPEECH_VERBS = frozenset(w for w in SPEECH.split("|") if " " not in w)
# Irregular forms of verbs, which WordNet's lemma index does not list.
IRREGULAR_FORMS = frozenset(
    """
arose awoke bore borne beaten became begun bent bet bid bitten bled blew blown bred brought built burnt
bought caught chose chosen clung crept dealt dug dove drew drawn dreamt drove driven drunk dwelt eaten fell
fallen fed felt fought found fled flung flew flown forbade forbidden forgot forgotten forgave forgiven froze
frozen got gotten gave given went gone ground grew grown hung heard hid hidden held hurt kept knelt knew known
laid led leapt left lent lay lain lit lost made meant met mistook mistaken overcame overseen overtook paid
proved proven rode ridden rang rung rose risen ran sought sold sent set shook shaken shed shone shot shown
shrank shrunk shut sang sung sank sunk sat slept slid slung spoke spoken sped spent spun spat split spread
sprang sprung stood stole stolen stuck stung stank strode struck strung strove striven swore sworn swept
swam swum swung took taken taught tore torn told thought threw thrown thrust trod trodden understood undertook
undertaken upheld upset woke woken wore worn wove woven wept won wound withdrew withdrawn withheld withstood
wrung wrote written hamstrung outdone outgrown overthrown overdrawn
""".split()
)

# Roles long enough that one letter more, less or changed, or two swapped, is a typo of the role (`AMBASADOR`,
# `MINISTRE`), not a surname; shorter ones are near names (`Justine`), and `Cardenal` is a surname.
MISSPELT_ROLES = frozenset(
    w for w in TITLE_WORDS | NOT_NAMES if (len(w) >= 8 or w == "attache") and w.isalpha() and w != "cardinal"
)

ROUTING_RE = re.compile(r"(?:rueh|ruc|vzczc|znr|washdc)|.*washdc")
# No name has a letter three times in a row; acronyms (`UNIIIC`) and typos (`SUPPPORT`) do.
TRIPLED_RE = re.compile(r"([a-z])\1\1+")
# An officer named by their section's code (`PDOff`, the public diplomacy officer; `MGTOFF`, `POLMILOFFS`).
OFFICER_CODE_RE = re.compile(r"(?:pol|econ|pd|pa|pao|con|emb|mgt|mil|polmil|polecon|ag|rm|gso|ips|cons|ds)offs?")


def one_edit(a: str, b: str) -> bool:
    """Whether b is a with one letter inserted, deleted or changed."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] if len(a) < len(b) else a[i + 1 :] == b[i + 1 :]


def _swapped(a: str, b: str) -> bool:
    """Whether b is a with two neighbouring letters swapped."""
    diff = [i for i in range(len(a)) if len(a) == len(b) and a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _words(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").split("\n")
    return frozenset(w.lower() for line in lines if not line.startswith("#") for w in line.split())


_WORDS_KEPT = 100_000  # the most words whose answer a Lexicon keeps (a server's memory stays bounded)


class Lexicon:
    """Dictionary words and given names, case-insensitive."""

    def __init__(self, words: frozenset[str], given: frozenset[str]) -> None:
        self.words = words
        self.given = given
        self._common: dict[str, bool] = {}  # common() by word: the same words are asked about again and again

    def common(self, word: str) -> bool:
        """A dictionary word or one of its inflections (`reports`, `stated`, `meeting`)."""
        known = self._common.get(word)
        if known is None:
            if len(self._common) >= _WORDS_KEPT:
                self._common.clear()
            known = self._common[word] = self._inflected(word)
        return known

    def _inflected(self, word: str) -> bool:
        w = word.lower()
        if w in self.words:
            return True
        if w.endswith(("ied", "ies")) and w[:-3] + "y" in self.words:
            return True  # `replied`, `countries`
        if w in IRREGULAR_FORMS:
            return True  # `stolen`, `sped`
        if TRIPLED_RE.search(w) and self.common(TRIPLED_RE.sub(r"\1\1", w)):
            return True  # `suppport`: a word typed with a letter once too often (no name has one thrice)
        for prefix in ("re", "de", "un", "non", "pre", "counter", "anti"):
            if w.startswith(prefix) and len(w) - len(prefix) >= 5 and self.common(w[len(prefix) :]):
                return True  # `demining`, `retransfer`
        for suffix in ("s", "es", "ed", "ing", "d"):
            stem = w[: -len(suffix)]
            if w.endswith(suffix) and len(stem) > 2:
                # `reports`, `arriving` (arrive), `stopped` (stop)
                if stem in self.words or (
                    suffix in ("ed", "ing")
                    and (
                        stem + "e" in self.words or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in self.words)
                    )
                ):
                    return True
                if suffix in ("ed", "ing") and stem.endswith("ck") and stem[:-1] in self.words:
                    return True  # `trafficking`, `panicked`
        return False

    def given_name(self, word: str) -> bool:
        return word.lower() in self.given

    def not_name(self, word: str) -> bool:
        """A word that is never (part of) a person's name: a role, a cable code, a month (or their plural), a
        routing indicator (`RUEHSL`, `VZCZCXRO`, `WASHDCUNCLAS`)."""
        w = word.lower().strip(".,()'’")
        return (
            any(x in NOT_NAMES or x in TITLE_WORDS for x in (w, w.removesuffix("s"), w.removesuffix("es")))
            or ROUTING_RE.match(w) is not None
            or OFFICER_CODE_RE.fullmatch(w) is not None
            or self.misspelt_role(w)
        )

    def misspelt_role(self, word: str) -> bool:
        """A role with one letter more, less or changed, the first kept (`AMBASADOR`, `MINISTRE`), that is no
        given name or dictionary word."""
        w = word.lower()
        return (
            len(w) >= 7
            and not self.given_name(w)
            and not self.common(w)
            and any(
                k[0] == w[0] and abs(len(k) - len(w)) <= 1 and (one_edit(k, w) or _swapped(k, w))
                for k in MISSPELT_ROLES
            )
        )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(_words("common_words.txt"), _words("given_names.txt"))

"""Matching keys: labels and queries folded (accents, case, punctuation) and their words made canonical."""

from __future__ import annotations

import re
import unicodedata

#: Letters NFKD does not split into a base letter and a mark.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
        "ŋ": "n",
        "&": " and ",
        "'": "",
        "’": "",
        "ʼ": "",
        "`": "",
        "´": "",
    }
)
_NON_WORD = re.compile(r"[\W_]+")
#: Short words that carry little meaning in a name (English and the vocabularies' other languages).
STOP_WORDS = frozenset(
    "a an and at by de del der des di die du el et for from in l la las le les los of on or the to und "
    "van von with y".split()
)


def _literal(text: str) -> str:
    """``text`` compared as written: case and spacing aside, accents and punctuation kept."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def fold(text: str) -> str:
    """``text`` as a matching key: accents dropped, case-folded, punctuation as single spaces.

    >>> fold("Côte d’Ivoire (la)")
    'cote divoire la'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub(" ", bare.translate(_LETTERS)).strip()


# British -> American spellings that no rule below covers (canonical forms need not be words).
_SPELLINGS = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "programme": "program",
    "judgement": "judgment",
    "grey": "gray",
    "aluminium": "aluminum",
    "sulphur": "sulfur",
    "sulphide": "sulfide",
    "sulphate": "sulfate",
    "sulphuric": "sulfuric",
    "tyre": "tire",
    "plough": "plow",
    "mould": "mold",
    "manoeuvre": "maneuver",
    "cheque": "check",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "practise": "practice",
    "draught": "draft",
    "kerb": "curb",
    "foetus": "fetus",
    "oestrogen": "estrogen",
    "anaemia": "anemia",
    "aeroplane": "airplane",
}
_OUR_KEEP = frozenset({"devour", "contour", "detour", "velour", "paramour", "troubadour", "amour"})
_SPELLING_RULES = (
    (re.compile(r"(?<=\w\w)our(s|ed|ing|er|ers|ful|able|ite|ites|ism|ist|less)?$"), r"or\1"),
    (re.compile(r"(?<=\w\w)is(e|es|ed|ing|er|ers|ation|ations|ational)$"), r"iz\1"),
    (re.compile(r"(?<=\w\w)ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"(?<=\w\w[^aeiou])tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=\w\w\w)ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=\w\w\w[aeiou])ll(ed|ing|er|ers|or|ors)$"), r"l\1"),
    (re.compile(r"^palae"), "pale"),
    (re.compile(r"^haem"), "hem"),
)
_CANON_CACHE: dict[str, str] = {}


def _singular(word: str) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


def canonical(word: str) -> str:
    """One folded word's canonical form: singular, American spelling.

    >>> [canonical(w) for w in ("defence", "ngos", "ministries", "organisations", "centres")]
    ['defense', 'ngo', 'ministry', 'organization', 'center']
    """
    found = _CANON_CACHE.get(word)
    if found is not None:
        return found
    out = _singular(word)
    out = _SPELLINGS.get(out, out)
    if len(out) >= 5 and out not in _OUR_KEEP:
        for pattern, repl in _SPELLING_RULES:
            out = pattern.sub(repl, out)
    out = _SPELLINGS.get(out, out)
    if len(_CANON_CACHE) < 200_000:
        _CANON_CACHE[word] = out
    return out


def _initials(words: list[str]) -> set[str]:
    """The acronyms a multi-word name may be written as: the initials of all words, and of the content words."""
    if len(words) < 2:
        return set()
    out = {"".join(w[0] for w in words)}
    content = [w for w in words if w not in STOP_WORDS]
    if len(content) >= 2:
        out.add("".join(w[0] for w in content))
    return {a for a in out if len(a) >= 2}

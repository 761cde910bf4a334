"""How far a transcript can be trusted, stretch by stretch, and a verdict per call.

On hard audio whisper does not return nothing: it returns confident-looking garbage (a
phrase looping over a CPF, Korean inside a Portuguese call, a phone number printed as
money). A pipeline that believes it finds no PII there and passes the call as done. So
every word is checked against the rules below; the words a rule catches are *unreliable*:
their audio is bleeped (or flagged) like untranscribed speech, as ``UNRELIABLE_SPEECH``
with the rule's reason, and their text is replaced by a tag, never written in clear.

Each rule reads whisper's own evidence or makes a sanity check, and has its thresholds in
``config.Reliability``:

- ``low_confidence``: a run of words whisper itself doubted; a segment whose tokens have a
  low mean log-probability (whisper's own retry rule).
- ``loop``: the same words over and over ("mil e mil e mil..."); a segment whose words
  compress too well (whisper's own loop check, on the words we keep); a syllable stuttered
  in one word.
- ``foreign_script``: a letter none of our languages writes, anywhere in a segment: the
  decoder has left the language (so a call in another language is caught too).
- ``speech_rate``: more words per second than anyone says.
- ``collapsed_times``: a run of words whose times shrank to nothing (aligned to noise).
- ``garbled_numbers``: a run of amounts of money ("$713, $799, $693"), how whisper prints
  digits it half heard.
- ``wrong_language``: in a channel, whisper hears another of our languages than the
  call's, more likely than not. Told to write Portuguese while hearing English, or English
  while hearing Portuguese, whisper does not write nonsense: it translates, fluently and
  confidently, so no other rule sees it. (A language we do not support is not caught
  here; ``language = "auto"`` refuses it.)

On a call whose verdict is not good, two more tests apply to each word without digits
(``doubted_words``, after the verdict, which they do not count toward): ``unknown_word``,
no word list of the call's language has it (whisper writes sounds of the language over
what it cannot make out: "Põe -tu, chachi, drois." over a CNPJ), and ``stretched_word``,
its times stretched over speech whisper skipped ("momento," over 7 s where a phone number
was said). On clear speech an unknown word is a name or an e-mail run together, no sign of
garbage; and neither is a reason to decode again: a rare name stays rare.

One more rule needs detection's results, so the pipeline runs it after detection
(``unanswered``): after a question for a personal value ("qual é o seu CPF", "card
number"), digits or doubtful words that detection did not explain are unreliable too
(``unanswered_question``): the answer may be a value misheard past recognition. On a call
whose verdict is not good, lower bars (``DOUBTED``) apply.

The verdict (``judge``) is per channel: the share of its speech (voice activity, or
words) that is unreliable or untranscribed; the call gets its worst channel's.
Pure Python: no numpy, no models.
"""

from __future__ import annotations

import math
import re
import string
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from redactor import languages
from redactor.config import Reliability
from redactor.dtmf import DTMF
from redactor.transcript import Transcript
from redactor.types import NER_ENTITIES, Entity, Segment, Stretch, Word, union

UNRELIABLE = "UNRELIABLE_SPEECH"
GOOD, DEGRADED, UNUSABLE = "good", "degraded", "unusable"
VERDICTS = (GOOD, DEGRADED, UNUSABLE)
#: Reason of every stretch of a call whose transcript as a whole is unusable.
UNUSABLE_CALL = "unusable_call"

#: A word that lasts less than this has collapsed times (seconds).
COLLAPSED = 0.02
#: Longest repeated phrase looked for (words).
LONGEST_LOOP = 6
#: Amounts of money counted within this many words.
MONEY_WINDOW = 6
#: Segments shorter than this have no meaningful speech rate (seconds).
RATE_MIN_SECONDS = 1.0
#: How long after a question for a personal value its answer is looked for (seconds).
ANSWER_SECONDS = 10.0
#: Digits in such an answer, outside what detection found, that make it a value misheard.
ANSWER_DIGITS = 3
#: A word below this probability in such an answer is doubtful; two make it unreliable.
ANSWER_DOUBT = 0.5
#: How long the answer to a question for an e-mail address may go on, from its first word.
EMAIL_ANSWER_SECONDS = 8.0
UNANSWERED = "unanswered_question"
#: The words left in a value's sentence after it, when they are few (``value_tails``).
VALUE_TAIL = "value_tail"
#: The most words a value's sentence may go on after it and still be its misheard end.
TAIL_WORDS = 2
#: On a call whisper doubts: digits in one breath, asked for or not (``Bars.anywhere``).
STRAY_NUMBER = "stray_number"
#: Reason of a word the call's language does not have (``doubted_words``).
UNKNOWN_WORD = "unknown_word"
#: Reason of a word that lasts far longer than a word is said (``doubted_words``).
STRETCHED_WORD = "stretched_word"
#: Unknown words count when another is at most this many words away.
UNKNOWN_SPAN = 2
#: ... or when this share of a channel's words (without digits) is unknown.
UNKNOWN_SHARE = 0.1

STUTTER = re.compile(r"([^\W\d_]{1,4}?)\1{4,}")  # a syllable five times or more in a row
MONEY = re.compile(r"^(R\$|US\$|[$€£¢])\s*\d|\d\s*[$€£¢]$")

T = TypeVar("T")
Rule = Callable[[Sequence[Word], Sequence[Segment], Reliability], Iterable[range]]


def _normal(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower())


def runs(items: Sequence[T], test: Callable[[T], bool], shortest: int) -> Iterator[range]:
    """Runs of at least ``shortest`` consecutive items (words) that pass ``test``."""
    first: int | None = None
    for i in range(len(items) + 1):
        if i < len(items) and test(items[i]):
            first = i if first is None else first
            continue
        if first is not None and i - first >= shortest:
            yield range(first, i)
        first = None


def in_segments(
    words: Sequence[Word], segments: Sequence[Segment], test: Callable[[Segment], bool]
) -> Iterator[range]:
    """The words of every segment that passes ``test``."""
    bad = {i for i, segment in enumerate(segments) if test(segment)}
    return runs(words, lambda w: w.segment in bad, 1)


def low_confidence(
    words: Sequence[Word], segments: Sequence[Segment], t: Reliability
) -> Iterator[range]:
    yield from runs(words, lambda w: w.probability < t.min_word_probability, t.doubtful_run)
    yield from in_segments(words, segments, lambda s: s.avg_logprob < t.min_avg_logprob)


def loop(words: Sequence[Word], segments: Sequence[Segment], t: Reliability) -> Iterator[range]:
    """Repeated phrases and stutters; and, where a segment's words compress too well but
    no repeated phrase explains it, the whole segment (a long segment with one loop in it
    keeps its other words).

    The ratio is computed on the segment's words, not taken from whisper: whisper's counts
    text that got no word times, and gave 3.7 to a clear 27 s segment whose words compress
    1.35 times."""
    found = list(_repeats([_normal(w.text) for w in words], t.loop_repeats))
    found += runs(words, lambda w: STUTTER.search(_normal(w.text)) is not None, 1)
    explained = {words[i].segment for r in found for i in r}
    text: dict[int, str] = {}
    for word in words:
        if word.segment is not None and word.segment not in explained:
            text[word.segment] = text.get(word.segment, "") + word.text
    looping = {i for i, said in text.items() if compression_ratio(said) > t.max_compression_ratio}
    yield from found
    yield from runs(words, lambda w: w.segment in looping, 1)


def compression_ratio(text: str) -> float:
    """Length of ``text`` over its zlib-compressed length, as whisper measures it."""
    data = text.strip().encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _repeats(keys: list[str], repeats: int) -> Iterator[range]:
    """The same 2-6 keys ``repeats`` times in a row (one key: twice as many)."""
    for n in range(1, LONGEST_LOOP + 1):
        needed = repeats * (2 if n == 1 else 1)
        i = 0
        while i + n * needed <= len(keys):
            phrase = keys[i : i + n]
            count = 1
            while all(phrase) and keys[i + count * n : i + (count + 1) * n] == phrase:
                count += 1
            if count >= needed:
                yield range(i, i + count * n)
                i += count * n
            else:
                i += 1


def foreign_script(
    words: Sequence[Word], segments: Sequence[Segment], t: Reliability
) -> Iterator[range]:
    written = set(string.ascii_lowercase) | set(languages.pooled(lambda lang: lang.letters))

    def foreign(word: Word) -> bool:
        return any(c.isalpha() and c.lower() not in written for c in word.text)

    found = {w.segment for w in words if foreign(w)}
    yield from runs(
        words, lambda w: foreign(w) or (w.segment is not None and w.segment in found), 1
    )


def speech_rate(
    words: Sequence[Word], segments: Sequence[Segment], t: Reliability
) -> Iterator[range]:
    counts: dict[int, int] = {}
    for word in words:
        if word.segment is not None:
            counts[word.segment] = counts.get(word.segment, 0) + 1

    def too_fast(index: int, segment: Segment) -> bool:
        seconds = segment.end - segment.start
        return (
            seconds >= RATE_MIN_SECONDS and counts.get(index, 0) / seconds > t.max_words_per_second
        )

    fast = {i for i, segment in enumerate(segments) if too_fast(i, segment)}
    return runs(words, lambda w: w.segment in fast, 1)


def collapsed_times(
    words: Sequence[Word], segments: Sequence[Segment], t: Reliability
) -> Iterator[range]:
    return runs(words, lambda w: w.end - w.start < COLLAPSED, t.collapsed_run)


def garbled_numbers(
    words: Sequence[Word], segments: Sequence[Segment], t: Reliability
) -> Iterator[range]:
    money = [i for i, w in enumerate(words) if MONEY.search(w.text.strip(" ,.;"))]
    for k in range(len(money) - t.money_run + 1):
        first, last = money[k], money[k + t.money_run - 1]
        if last - first < MONEY_WINDOW:
            yield range(first, last + 1)


def wrong_language(
    words: Sequence[Word], segments: Sequence[Segment], t: Reliability
) -> Iterator[range]:
    return in_segments(words, segments, lambda s: s.other_language >= t.other_language)


#: Every rule by the reason it gives.
RULES: dict[str, Rule] = {
    "low_confidence": low_confidence,
    "loop": loop,
    "foreign_script": foreign_script,
    "speech_rate": speech_rate,
    "collapsed_times": collapsed_times,
    "garbled_numbers": garbled_numbers,
    "wrong_language": wrong_language,
}


@dataclass(frozen=True)
class Assessment:
    #: Unreliable stretches, per channel, with their reasons ("loop, low_confidence").
    stretches: list[Stretch]
    #: Indices of the unreliable words in ``transcript.words``.
    words: frozenset[int]

    def __or__(self, other: Assessment) -> Assessment:
        stretches = sorted(self.stretches + other.stretches, key=lambda s: s.start)
        return Assessment(stretches, self.words | other.words)


def assess(transcript: Transcript, t: Reliability) -> Assessment:
    """Every word the rules catch, and the stretches of audio they span."""
    stretches: list[Stretch] = []
    flagged: set[int] = set()
    for channel in sorted({w.channel for w in transcript.words}, key=lambda c: c or 0):
        indices = [i for i, w in enumerate(transcript.words) if w.channel == channel]
        words = [transcript.words[i] for i in indices]
        reasons: list[set[str]] = [set() for _ in words]
        for reason, rule in RULES.items():
            for found in rule(words, transcript.segments, t):
                for i in found:
                    reasons[i].add(reason)
        for found in runs(reasons, bool, 1):
            why = ", ".join(sorted(set().union(*(reasons[i] for i in found))))
            first, last = words[found.start], words[found.stop - 1]
            stretches.append(Stretch(first.start, last.end, channel, why))
            flagged.update(indices[i] for i in found)
    return Assessment(sorted(stretches, key=lambda s: s.start), frozenset(flagged))


def doubted_words(transcript: Transcript, t: Reliability) -> Assessment:
    """On a call whisper doubts (its verdict is not good): each word that is no word of
    the call's language (``UNKNOWN_WORD``: wordfreq's Zipf frequency below
    ``t.min_word_zipf``; a language wordfreq has no list for has none), and each word
    that lasts longer than ``t.max_word_seconds`` (``STRETCHED_WORD``). Words with digits
    are values, not words, and a run of digits takes its time to say."""
    from wordfreq import available_languages, zipf_frequency

    listed = t.min_word_zipf > 0 and transcript.language in available_languages()
    words = transcript.words
    # the words without digits, by their text bare of punctuation
    lettered: dict[int, str] = {}
    for i, word in enumerate(words):
        text = word.text.strip().strip(string.punctuation + "¿¡«»“”")
        if text and not any(c.isdigit() for c in text):
            lettered[i] = text
    odd = [
        i
        for i, text in lettered.items()
        if listed and zipf_frequency(text, transcript.language) < t.min_word_zipf
    ]
    # one odd word among words is a name or a word misheard; two within UNKNOWN_SPAN
    # words, or many in the channel, are garbage
    channels = Counter(words[i].channel for i in lettered)
    unknown = Counter(words[i].channel for i in odd)
    many = {channel for channel, n in channels.items() if unknown[channel] >= UNKNOWN_SHARE * n}
    clustered = {
        i
        for k, i in enumerate(odd)
        if words[i].channel in many
        or any(
            j != i and abs(j - i) <= UNKNOWN_SPAN and words[j].channel == words[i].channel
            for j in odd[max(0, k - 1) : k + 2]
        )
    }
    stretches: list[Stretch] = []
    flagged: set[int] = set()
    for i in lettered:
        word = words[i]
        why = [
            reason
            for reason, test in (
                (UNKNOWN_WORD, i in clustered),
                (STRETCHED_WORD, word.end - word.start > t.max_word_seconds),
            )
            if test
        ]
        if why:
            stretches.append(Stretch(word.start, word.end, word.channel, ", ".join(why)))
            flagged.add(i)
    return Assessment(stretches, frozenset(flagged))


def everything(transcript: Transcript) -> Assessment:
    """An unusable call: all its speech and every word."""
    channels = {w.channel for w in transcript.words} | {s.channel for s in transcript.speech}
    stretches = [
        Stretch(start, end, channel, UNUSABLE_CALL)
        for channel in channels
        for start, end in speech_of(transcript, channel)
    ]
    return Assessment(
        sorted(stretches, key=lambda s: s.start), frozenset(range(len(transcript.words)))
    )


def entities(transcript: Transcript, flagged: Iterable[int], found: list[Entity]) -> list[Entity]:
    """``UNRELIABLE_SPEECH`` entities over the flagged words' text, around the entities
    detection ``found`` there (which keep their own type), so none overlap."""
    spans: list[tuple[int, int]] = []
    for i in sorted(flagged):
        start, end = transcript.offsets[i]
        if spans and spans[-1][1] + 1 >= start and _neighbours(transcript, i):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    out: list[Entity] = []
    for start, end in spans:
        cursor = start
        for entity in sorted(found, key=lambda e: e.start):
            if entity.end <= cursor or entity.start >= end:
                continue
            if entity.start > cursor:
                out.append(Entity(UNRELIABLE, cursor, entity.start, 0.0, "reliability"))
            cursor = max(cursor, entity.end)
        if cursor < end:
            out.append(Entity(UNRELIABLE, cursor, end, 0.0, "reliability"))
    text = transcript.text
    return [e for e in out if text[e.start : e.end].strip(" ,.;:!?")]


@dataclass(frozen=True)
class Bars:
    """What makes an answer a value misheard: this many digits, or this many words below
    ``doubt`` probability, in one breath. With ``sentences``, whisper's full stops are
    trusted: doubtful words left in the question's own sentence are not its answer. With
    ``small_words``, the language's small words between a value's parts ("34 y es 18")
    do not break the breath."""

    digits: int = ANSWER_DIGITS
    doubtful: int = 2
    doubt: float = ANSWER_DOUBT
    sentences: bool = True
    small_words: bool = False
    #: digits in one breath count anywhere in the call, not only after a question
    #: (``STRAY_NUMBER``; quantities and amounts aside)
    anywhere: bool = False
    #: a run of digits reaches out over whisper's sentence around it, up to this many
    #: seconds either way: the street name said before its number, garbled into words
    #: that are no digits ("Callama en carnesión al mayo, 300 quince.")
    reach: float = 0.0
    #: the sentence after any question for a value is its answer (``answers``), not only
    #: after a question for an e-mail
    answers: bool = False


#: How far a run of digits reaches over its sentence on a call whisper doubts. On the hard
#: tune calls 2.5 s bought 0.9, 2.8 and 0.5 points of PII speech on pt, es and en (street
#: names, dates of birth, an e-mail's user: 10.8 s) for 0.8, 3.4 and 4.4 of other speech
#: (27.6 s: "La dirección es", "The card number is"); 1.5 s bought less for nearly as much.
REACH_SECONDS = 2.5

#: The bars on a call whisper doubts (its verdict is not good): fail closed sooner. (Small
#: words join runs only there: on the clear report calls they cost 0.6 points of other
#: speech for 0.1 of PII speech; on the hard ones they bought 0.6 of PII on en.) And a
#: number needs no question there: whisper garbles the question too ("¿Cuál es la
#: reflexión de mío?" for "dirección de envío").
DOUBTED = Bars(
    digits=2,
    doubtful=1,
    sentences=False,
    small_words=True,
    anywhere=True,
    reach=REACH_SECONDS,
    answers=True,
)


def unanswered(
    transcript: Transcript,
    found: list[Entity],
    bars: Bars = Bars(),
    unreliable: frozenset[int] = frozenset(),
) -> Assessment:
    """After each question for a personal value, the words within ANSWER_SECONDS that
    detection did not explain and that are digits (written or said) or doubtful (below
    ``bars.doubt``), in runs said in one breath: a run with ``bars.digits`` digits or
    ``bars.doubtful`` doubtful words is unreliable, from its first word to its last, on
    the answering channel. Digits detection found count too when unexplained digits stand
    beside them: a value found in part. A run starts in the sentence of its first digit or
    found word (``_answer_sentences``). A question answered on the keypad has its answer:
    the words after the keys are not looked at. With ``bars.anywhere``, runs of digits
    anywhere in the call count too (``STRAY_NUMBER``), but for words already
    ``unreliable``. A number before a currency or a unit is a quantity, not a value."""
    questions = re.compile(
        r"\b(?:" + languages.pooled_regex(lambda lang: lang.pii_questions) + r")\b", re.I
    )
    currency, unit = (
        re.compile(r"^(?:" + languages.pooled_regex(field) + r")\W*$", re.I)
        for field in (lambda lang: lang.currency_words, lambda lang: lang.unit_words)
    )
    words, offsets = transcript.words, transcript.offsets
    lang = languages.get(transcript.language)
    between = lang.between_digits

    def explained(i: int) -> bool:
        return _explained(transcript, i, found)

    def money(i: int) -> bool:
        return 0 <= i < len(words) and bool(MONEY.search(_bare(words[i])))

    def count(i: int) -> int:
        """The digits word ``i`` stands for; "to" in "zero to one" too. An amount of money
        alone is a sum, but amounts side by side are a value misheard ("The VIP's time to
        $6, $84." for a ZIP code, hard-tune-en-04): their digits count."""
        if money(i) and any(money(j) for j in (i - 2, i - 1, i + 1, i + 2)):
            return sum(c.isdigit() for c in words[i].text)
        digits = _digits(words[i], transcript.language)
        if digits or not 0 < i < len(words) - 1:
            return digits
        homophone = _bare(words[i]) in between
        return int(
            homophone and all(_digits(words[j], transcript.language) for j in (i - 1, i + 1))
        )

    def digit(i: int) -> bool:
        return bool(count(i))

    def label(i: int) -> bool:
        """A word that names a value ("agência", "CPF"): what comes before it is not the
        value."""
        return bool(questions.fullmatch(_bare(words[i])))

    def article(i: int) -> bool:
        """The "um" of "Só um momento": no digit, and no doubt, however whisper heard it."""
        return (
            _bare(words[i]) in lang.article_ones
            and i + 1 < len(words)
            and _bare(words[i + 1]) in lang.article_nouns
        )

    def amount(i: int) -> bool:
        """An amount said with its currency or a unit after it ("150 reais", "one hundred
        twenty dollars", "500 megabits"): a quantity, not a value. Not across a comma: "12,
        8, 70, month" is a date of birth misheard (clear-report-en-13)."""
        j = i + 1
        while (
            j < len(words)
            and not _paused(words[j - 1])
            and _digits(words[j - 1], transcript.language)
            and _digits(words[j], transcript.language)
        ):
            j += 1
        if j == len(words):
            return False
        after = words[j].text.strip()
        if currency.match(after):  # "150 reais", as it always was, or "one hundred dollars"
            return j == i + 1 or not _paused(words[j - 1])
        return not _paused(words[j - 1]) and bool(unit.match(after))

    keys = sorted(e.start for e in found if e.type == DTMF)
    small = (
        {i for i, w in enumerate(words) if _bare(w) in lang.between_words}
        if bars.small_words
        else set()
    )
    stretches: list[Stretch] = []
    flagged: set[int] = set()
    # where to look: (first word, until, keyed, the question's sentence end, numbers only)
    anchors: list[tuple[int, float, int, int | None, bool]] = []
    for match in questions.finditer(transcript.text):
        asked = transcript.word_range(match.start(), match.end())
        if not asked:
            continue
        until = words[asked.stop - 1].end + ANSWER_SECONDS
        keyed = next((start for start in keys if start >= match.end()), len(transcript.text))
        asked_end = _sentence_end(words, asked.stop - 1) if bars.sentences else None
        anchors.append((asked.stop, until, keyed, asked_end, False))
    if bars.anywhere:
        anchors.append((0, math.inf, len(transcript.text), None, True))
    for first, until, keyed, asked_end, numbers_only in anchors:
        odd = [
            i
            for i in range(first, len(words))
            if words[i].start < until
            and offsets[i][0] < keyed
            and not amount(i)
            and not article(i)
            and not (numbers_only and i in unreliable)
            and (
                digit(i)
                or (not numbers_only and words[i].probability < bars.doubt and not explained(i))
            )
        ]
        for run in _clusters(odd, small, words):
            run = _answer_sentences(
                run, lambda i: digit(i) or explained(i), words, asked_end, label
            )
            if not run:
                continue
            cluster = [i for i in run if not explained(i)]
            # the digits detection found count with those it left beside them: "nine,
            # well, oh, seven, five" where only "oh, seven, five" was found is one answer
            counted = run if any(digit(i) for i in cluster) else cluster
            digits = sum(count(i) for i in counted)
            doubtful = (
                0 if numbers_only else sum(words[i].probability < bars.doubt for i in cluster)
            )
            if digits < bars.digits and doubtful < bars.doubtful:
                continue
            for channel in sorted({words[i].channel for i in cluster}, key=lambda c: c or 0):
                mine = [i for i in run if words[i].channel == channel]
                if bars.reach and digits >= bars.digits:
                    mine = _reach(mine, words, bars.reach)
                reason = STRAY_NUMBER if numbers_only else UNANSWERED
                stretch = Stretch(words[mine[0]].start, words[mine[-1]].end, channel, reason)
                if stretch not in stretches:
                    stretches.append(stretch)
                flagged.update(
                    i
                    for i in range(mine[0], mine[-1] + 1)
                    if words[i].channel == channel and not explained(i)
                )
    return Assessment(sorted(stretches, key=lambda s: s.start), frozenset(flagged))


def value_tails(transcript: Transcript, found: list[Entity]) -> Assessment:
    """The words after a value detection found (not a name or a place) up to the end of
    its sentence, when they are at most TAIL_WORDS and none is a courtesy ("sí",
    "perfect") or a noun after an article "one" ("One moment"): whisper heard the value's
    last digits as words that are no number ("doce, del doce, del ochenta y cienza." for
    "... ochenta y siete", "cuatro detrales." for "cuatro, letra M")."""
    words = transcript.words
    lang = languages.get(transcript.language)
    ordinary = lang.courtesies | lang.article_nouns
    stretches: list[Stretch] = []
    flagged: set[int] = set()
    for entity in found:
        if entity.type in NER_ENTITIES or entity.type == DTMF:  # no digits to lose
            continue
        covered = transcript.word_range(entity.start, entity.end)
        if not covered or _ends_sentence(words[covered.stop - 1]):
            continue
        channel = words[covered.stop - 1].channel
        tail = []
        for i in range(covered.stop, len(words)):
            if words[i].channel != channel:
                continue
            tail.append(i)
            if _ends_sentence(words[i]) or len(tail) > TAIL_WORDS:
                break
        if (
            not tail
            or len(tail) > TAIL_WORDS
            or not _ends_sentence(words[tail[-1]])
            or any(_bare(words[i]) in ordinary for i in tail)
        ):
            continue
        stretches.append(Stretch(words[tail[0]].start, words[tail[-1]].end, channel, VALUE_TAIL))
        flagged.update(tail)
    return Assessment(sorted(stretches, key=lambda s: s.start), frozenset(flagged))


def answers(transcript: Transcript, found: list[Entity], bars: Bars = Bars()) -> Assessment:
    """After a question for an e-mail address (a sentence holding one of the language's
    ``email_questions`` and ending in "?"), or with ``bars.answers`` after any question
    (a sentence ending in "?", or holding one of the ``pii_questions`` and no value
    detection found: whisper often ends a question with a full stop), the next sentence
    is its answer, up to EMAIL_ANSWER_SECONDS, after its own "my email is" if it has one,
    and past sentences of courtesies only ("Sure."): its words that detection did not
    explain are unreliable. An e-mail is said in words, not digits, and whisper garbles
    its user part past what detection can find ("Have um deline -lope." before "A
    rova-ra-meio ponto com"); on a call whisper doubts, it hears digits as words that are
    no digits ("I may be heaven." for a CVV), and garbles the question too ("¿A qué en
    lección te lo mandamos?" for "dirección")."""
    lang = languages.get(transcript.language)
    asking = languages.pooled_regex(lambda lang: lang.email_questions)
    if bars.answers:
        asking += "|" + languages.pooled_regex(lambda lang: lang.pii_questions)
    questions = re.compile(r"\b(?:" + asking + r")\b", re.I)
    copula = re.compile(languages.pooled_regex(lambda lang: lang.password_copulas), re.I)
    polite = lang.courtesies | lang.name_fillers | lang.number_fillers
    words = transcript.words

    def asked(i: int) -> bool:
        return words[i].text.rstrip().endswith("?")

    opening = re.compile(
        r"\b(?:" + languages.pooled_regex(lambda lang: lang.open_questions) + r")\b", re.I
    )
    # the first word of each word's sentence
    begins: list[int] = []
    for i in range(len(words)):
        begins.append(i if i == 0 or _ends_sentence(words[i - 1]) else begins[-1])
    ends = set()
    if bars.answers:
        ends = {
            i
            for i in range(len(words))
            if asked(i) and not opening.search("".join(w.text for w in words[begins[i] : i + 1]))
        }
    for match in questions.finditer(transcript.text):
        said = transcript.word_range(match.start(), match.end())
        end = _sentence_end(words, said.stop - 1) if said else None
        if end is None:
            continue
        # a question, or whisper's full stop after one on a doubted call; but a sentence
        # that holds a value detection found is its answer ("o número do meu CPF é ...")
        if asked(end) or (
            bars.answers
            and not any(
                _explained(transcript, i, found) for i in range(begins[said.start], end + 1)
            )
        ):
            ends.add(end)
    stretches: list[Stretch] = []
    flagged: set[int] = set()
    for end in sorted(ends):
        if end + 1 == len(words):
            continue
        answer: list[int] = []
        for i in range(end + 1, len(words)):
            if words[i].start - words[end + 1].start > EMAIL_ANSWER_SECONDS:
                break
            answer.append(i)
            if _ends_sentence(words[i]):
                if all(_bare(words[j]) in polite for j in answer):  # "Sure." first
                    answer = []
                    continue
                break
        # "My email is ...": the answer's own announcement is no part of the value
        named = [k for k, i in enumerate(answer) if questions.search(words[i].text)]
        if named:
            answer = answer[named[-1] + 1 :]
            if answer and copula.fullmatch(_bare(words[answer[0]])):
                answer = answer[1:]
        left = [i for i in answer if not _explained(transcript, i, found)]
        for channel in sorted({words[i].channel for i in left}, key=lambda c: c or 0):
            mine = [i for i in left if words[i].channel == channel]
            stretch = Stretch(words[mine[0]].start, words[mine[-1]].end, channel, UNANSWERED)
            if stretch not in stretches:
                stretches.append(stretch)
            flagged.update(mine)
    return Assessment(sorted(stretches, key=lambda s: s.start), frozenset(flagged))


def _answer_sentences(
    run: list[int],
    answer: Callable[[int], bool],
    words: Sequence[Word],
    asked_end: int | None,
    label: Callable[[int], bool],
) -> list[int]:
    """``run`` from the sentence that holds its first digit or its first word detection
    found (``answer``): doubtful words of the question before it ("Lígame el número. Es un
    dos siete") are not the answer, nor those up to a word naming a value (``label``) in
    that sentence ("O anotaio Agencia 5 .0 .75" for "Anota aí: agência cinco, zero...").
    After it nothing is cut: whisper's full stops in a garbled answer fall anywhere ("um,
    três, um, conta, treso. obrigado e"). A run with neither is kept whole, but for its
    speaker's words up to ``asked_end``, the end of the question's own sentence ("Qual é o
    CPF do titular. O"), when given and when words are left after it."""
    first = next((i for i in run if answer(i)), None)
    if first is None:
        # the question's sentence is its speaker's: the other channel's words all count
        after = [
            i
            for i in run
            if asked_end is None or i > asked_end or words[i].channel != words[asked_end].channel
        ]
        # but a garbled answer whisper ran into the question's sentence is kept whole
        return after or run
    ends = [j for j in range(run[0], first) if _ends_sentence(words[j]) or label(j)]
    return [i for i in run if i > ends[-1]] if ends else run


def _reach(run: list[int], words: Sequence[Word], seconds: float) -> list[int]:
    """``run`` (one channel's words, in order) with the words of its channel before and
    after it in whisper's sentence, those that start at most ``seconds`` before the run's
    first word or end at most ``seconds`` after its last."""
    channel = words[run[0]].channel
    first = run[0]
    for j in range(run[0] - 1, -1, -1):
        if words[j].channel != channel:
            continue
        if _ends_sentence(words[j]) or words[run[0]].start - words[j].start > seconds:
            break
        first = j
    last = run[-1]
    for j in range(run[-1] + 1, len(words)):
        if words[j].channel != channel:
            continue
        if _ends_sentence(words[last]) or words[j].end - words[run[-1]].end > seconds:
            break
        last = j
    return [j for j in range(first, last + 1) if words[j].channel == channel]


def _explained(transcript: Transcript, i: int, found: list[Entity]) -> bool:
    """Word ``i`` lies, at least in part, inside an entity detection found."""
    start, end = transcript.offsets[i]
    return any(e.start < end and e.end > start for e in found)


def _sentence_end(words: Sequence[Word], i: int) -> int | None:
    """The first word from ``i`` on, on word ``i``'s channel, that ends a sentence, or None."""
    channel = words[i].channel
    return next(
        (
            j
            for j in range(i, len(words))
            if words[j].channel == channel and _ends_sentence(words[j])
        ),
        None,
    )


def _paused(word: Word) -> bool:
    """Whisper put a comma or a stop after the word."""
    return word.text.rstrip().endswith((",", ".", ";", ":", "?", "!"))


def _ends_sentence(word: Word) -> bool:
    return word.text.rstrip().endswith((".", "?", "!"))


def _clusters(indices: list[int], small: set[int], words: Sequence[Word]) -> Iterator[list[int]]:
    """Indices in runs that skip at most one word ("nine, dash, four"), not counting the
    small words said between the parts of a value within a sentence (``small``: the "y" of
    "34 y es 18 ..."): a value is said in one breath, and digits far apart are separate
    things (an amount, a date)."""
    cluster: list[int] = []
    for i in indices:
        if cluster and _skipped(cluster[-1], i, small, words) > 1:
            yield cluster
            cluster = []
        cluster.append(i)
    if cluster:
        yield cluster


def _skipped(last: int, i: int, small: set[int], words: Sequence[Word]) -> int:
    """The words between ``last`` and ``i`` that count as skipped: all of them across a
    full stop, else those not in ``small``."""
    between = range(last + 1, i)
    if any(_ends_sentence(words[j]) for j in range(last, i)):
        return len(between)
    return sum(j not in small for j in between)


def _bare(word: Word) -> str:
    return word.text.strip(" ,.;:!?").lower()


def _digits(word: Word, language: str) -> int:
    """Digits a word stands for: written ones (not an amount of money), or one for a
    number said as a word ("oh" and "meia" too)."""
    from redactor.spoken import number_word

    text = word.text.strip(" ,.;:!?")
    if MONEY.search(text):
        return 0
    written = sum(c.isdigit() for c in text)
    said = text.lower() in languages.get(language).neighbour_digits or (
        bool(text) and number_word(text, language)
    )
    return written or int(said)


def _neighbours(transcript: Transcript, i: int) -> bool:
    """Word ``i`` follows word ``i - 1`` on the same channel."""
    return i > 0 and transcript.words[i - 1].channel == transcript.words[i].channel


# -- the verdict --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    verdict: str
    speech_seconds: float
    unreliable_seconds: float
    channel: int | None = None
    #: Seconds of speech each rule caught (stretches caught by two count for both), and
    #: the untranscribed seconds: why the verdict is what it is.
    rules: tuple[tuple[str, float], ...] = ()
    #: Whisper's mean token log-probability over the channel's words (``mean_logprob``).
    mean_logprob: float = 0.0

    @property
    def share(self) -> float:
        return self.unreliable_seconds / self.speech_seconds if self.speech_seconds else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "unreliable_share": round(self.share, 4),
            "speech_seconds": round(self.speech_seconds, 3),
            "unreliable_seconds": round(self.unreliable_seconds, 3),
            "seconds_by_rule": {rule: round(seconds, 3) for rule, seconds in self.rules},
            "mean_logprob": round(self.mean_logprob, 3),
        }


def judge(transcript: Transcript, unreliable: list[Stretch], t: Reliability) -> list[Quality]:
    """Per channel (one entry for a mixed call): how much of its speech is unreliable or
    untranscribed, and the verdict that follows. A channel whisper decoded with little
    confidence overall (``Reliability.logprob_bar``) is degraded at least: on hard audio whisper
    prints plausible wrong words that break no rule, and its doubt then shows only on the
    whole."""
    qualities = []
    channels = {w.channel for w in transcript.words} | {s.channel for s in transcript.speech}
    channels |= {g.channel for g in transcript.gaps}
    for channel in sorted(channels, key=lambda c: -1 if c is None else c):
        speech = speech_of(transcript, channel)
        doubtful = union(
            [(s.start, s.end) for s in unreliable if s.channel == channel]
            + [(g.start, g.end) for g in transcript.gaps if g.channel == channel]
        )
        spoken = _length(speech)
        bad = _length(_intersection(speech, doubtful))
        share = bad / spoken if spoken else 0.0
        logprob = mean_logprob(
            [w for w in transcript.words if w.channel == channel], transcript.segments
        )
        verdict = (
            UNUSABLE
            if share >= t.unusable_share
            else DEGRADED
            if share >= t.degraded_share or logprob < t.logprob_bar(transcript.language)
            else GOOD
        )
        by_rule: dict[str, float] = {}
        for stretch in unreliable:
            if stretch.channel == channel:
                for rule in stretch.reason.split(", "):
                    seconds = _length(_intersection(speech, [(stretch.start, stretch.end)]))
                    by_rule[rule] = by_rule.get(rule, 0.0) + seconds
        gaps = [(g.start, g.end) for g in transcript.gaps if g.channel == channel]
        if gaps:
            by_rule["untranscribed"] = _length(_intersection(speech, union(gaps)))
        rules = tuple(sorted(by_rule.items()))
        qualities.append(Quality(verdict, spoken, bad, channel, rules, logprob))
    return qualities or [Quality(GOOD, 0.0, 0.0)]


def mean_logprob(words: list[Word], segments: Sequence[Segment]) -> float:
    """Whisper's mean token log-probability over ``words``: each word takes its segment's,
    weighted by how long it lasts (0.0 with none). Per word, not per segment: segments
    overlap where recovery decoded a stretch again, and the words kept are what counts."""
    timed = [
        (segments[w.segment].avg_logprob, w.end - w.start)
        for w in words
        if w.segment is not None and w.segment < len(segments)
    ]
    seconds = sum(length for _, length in timed)
    return sum(lp * length for lp, length in timed) / seconds if seconds else 0.0


def worst(qualities: list[Quality]) -> Quality:
    """The call's quality: its worst channel's."""
    return max(qualities, key=lambda q: (VERDICTS.index(q.verdict), q.share))


def speech_of(transcript: Transcript, channel: int | None) -> list[tuple[float, float]]:
    """A channel's speech: where voice activity is heard, and where its words are."""
    return union(
        [(s.start, s.end) for s in transcript.speech if s.channel == channel]
        + [(w.start, w.end) for w in transcript.words if w.channel == channel]
    )


def _intersection(
    a: list[tuple[float, float]], b: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    return [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if min(e1, e2) > max(s1, s2)]


def _length(ranges: list[tuple[float, float]]) -> float:
    return sum(end - start for start, end in ranges)

"""The language of a page: chosen by ``lang=`` (the switch) or by Accept-Language
among the six UN languages, with a stated fallback order that ends in English,
and the writing direction that goes with it."""

from __future__ import annotations

from dataclasses import dataclass

UN_LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "ru": "Русский",
    "zh": "中文",
}
RTL = frozenset({"ar"})
LAST_RESORT = "en"


@dataclass(frozen=True)
class Language:
    """What a page is shown in: ``code`` first, then ``fallback`` in order (the
    user's other accepted languages, then English), then an untagged label."""

    code: str
    fallback: tuple[str, ...]
    chosen: bool  # picked by lang= (kept on links) rather than by the browser

    @property
    def dir(self) -> str:
        return "rtl" if self.code in RTL else "ltr"

    @property
    def order(self) -> tuple[str, ...]:
        return (self.code, *self.fallback)


def direction(lang: str | None) -> str:
    return "rtl" if (lang or "").split("-")[0] in RTL else "ltr"


def choose(requested: str | None, accepted: list[tuple[str, float]]) -> Language:
    """``requested`` (a lang= value, if valid) wins; else the best accepted UN language.
    ``accepted`` is Accept-Language as (tag, quality) pairs, best first."""
    ranked = []
    for tag, quality in accepted:
        base = tag.split("-")[0].lower()
        if quality > 0 and base in UN_LANGUAGES and base not in ranked:
            ranked.append(base)
    chosen = requested in UN_LANGUAGES
    code = requested if chosen else (ranked[0] if ranked else LAST_RESORT)
    fallback = [lang for lang in ranked if lang != code]
    if code != LAST_RESORT and LAST_RESORT not in fallback:
        fallback.append(LAST_RESORT)
    elif LAST_RESORT in fallback:  # English always comes last
        fallback = [lang for lang in fallback if lang != LAST_RESORT] + [LAST_RESORT]
    return Language(code, tuple(fallback), chosen)

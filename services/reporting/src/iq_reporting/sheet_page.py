"""The figures sheet as a page to read: key numbers large, charts as inline SVG drawn here
(no scripts, no downloads), and the numbers behind every chart in a table."""

from html import escape

from .disclosure import PRIMARY, SECONDARY, share

TITLE = "The Network IQ in figures"
LABELS = {
    "recognition": "Recognition", "job_training": "Job training",
    "recognition_and_job_training": "Recognition and job training", "course": "Course", "individual": "Individual",
    "in_person": "In person", "phone": "Phone", "video": "Video", "mobile": "Mobile", "permanent": "Permanent",
    "labour_market": "Labour market actors", "business": "Businesses",
}
STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1a1a2e}
header p{margin:.2rem 0}.keys{display:flex;flex-wrap:wrap;gap:1rem;padding:0;list-style:none}
.keys li{background:#eef2f8;border-radius:.5rem;padding:.8rem 1.2rem;min-width:10rem}
.keys strong{display:block;font-size:2.2rem;color:#0b4f8a}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ccd;padding:.25rem .8rem;text-align:left}td.n{text-align:right}
svg .bar{fill:#0b4f8a}svg text{font-size:12px;fill:#1a1a2e}figure{margin:1rem 0}
.note{background:#fff7e0;padding:.5rem 1rem;border-left:4px solid #e0a800}
"""


def label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def number(value) -> str:
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else escape(str(value))


def key_numbers(pairs: list[tuple[str, object]]) -> str:
    items = "".join(f"<li><strong>{number(v)}</strong>{escape(name)}</li>" for name, v in pairs if v is not None)
    return f'<ul class="keys">{items}</ul>'


def bar_chart(caption: str, items: list[tuple[str, object]], total=None) -> str:
    """Horizontal bars; a hidden count gets no bar, only its symbol. The table holds the numbers."""
    if not items:
        return ""
    width, row, left = 640, 26, 230
    largest = max([v for _, v in items if isinstance(v, int)] + [1])
    bars = []
    for i, (name, value) in enumerate(items):
        y = i * row
        length = round((width - left - 70) * value / largest) if isinstance(value, int) else 0
        bars.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{escape(name)}</text>'
                     + (f'<rect class="bar" x="{left}" y="{y + 4}" width="{max(length, 1)}" height="{row - 8}">'
                        f"<title>{escape(name)}: {number(value)}</title></rect>" if isinstance(value, int) else "")
                     + f'<text x="{left + length + 6}" y="{y + 17}">{number(value)}</text>')
    svg = (f'<svg role="img" aria-label="{escape(caption)}" width="{width}" height="{row * len(items)}" '
           f'viewBox="0 0 {width} {row * len(items)}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')
    return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}{numbers_table(caption, items, total)}</figure>"


def numbers_table(caption: str, items: list[tuple[str, object]], total=None) -> str:
    head = '<tr><th scope="col"></th><th scope="col">Count</th>' + ('<th scope="col">Share</th>' if total else "")
    body = ""
    for name, value in items:
        pct = share(value, total) if total is not None else None
        cell = f'<td class="n">{pct:.1f}\u202f%</td>' if pct is not None else ('<td class="n">–</td>' if total else "")
        body += f'<tr><th scope="row">{escape(name)}</th><td class="n">{number(value)}</td>{cell}</tr>'
    return f"<table><caption>{escape(caption)} (numbers)</caption>{head}</tr>{body}</table>"


def breakdown(figures: dict, key: str) -> list[tuple[str, object]]:
    return [(label(k), v) for k, v in (figures.get(key) or {}).items()]


def top(figures: dict, key: str) -> list[tuple[str, object]]:
    return [(f"{e.get('label') or e.get('code')} ({e.get('code')})", e.get("count")) for e in figures.get(key) or []]


def counselling(c: dict) -> str:
    sessions = c.get("initial_advice_sessions")
    points = c.get("contact_points") or {}
    return (key_numbers([("initial advice sessions", c.get("initial_advice_sessions")),
                         ("persons advised", c.get("persons_advised")),
                         ("permanent contact points", points.get("permanent")),
                         ("mobile contact points", points.get("mobile"))])
            + bar_chart("Initial advice by kind", breakdown(c, "initial_advice_by_kind"), sessions)
            + bar_chart("Initial advice by mode", breakdown(c, "sessions_by_mode"), sessions)
            + bar_chart("Top occupations of the persons advised", top(c, "top_occupations"))
            + bar_chart("Top countries of qualification", top(c, "top_countries")))


def training(t: dict) -> str:
    return (key_numbers([("schemes started", t.get("schemes_started")),
                         ("participants commencing", t.get("participants_commencing")),
                         ("successful completers", t.get("successful_completers")),
                         ("completions in the period", t.get("completions_in_period"))])
            + bar_chart("Schemes by format", breakdown(t, "schemes_by_format"), t.get("schemes_started"))
            + bar_chart("Completions by outcome", breakdown(t, "completers_by_outcome"), t.get("completions_in_period"))
            + bar_chart("Top occupations in training", top(t, "top_occupations")))


def intercultural_opening(o: dict) -> str:
    keys = ["trainings", "training_participants", "events", "event_participants", "consultations",
            "total_formats", "total_participants"]
    groups = [g for g in ("labour_market", "business") if isinstance(o.get(g), dict)]
    head = "".join(f'<th scope="col">{label(g)}</th>' for g in groups)
    body = "".join(f'<tr><th scope="row">{label(k)}</th>'
                   + "".join(f'<td class="n">{number(o[g].get(k, "–"))}</td>' for g in groups) + "</tr>" for k in keys)
    return f"<table><caption>Formats and participants by target group</caption><tr><th></th>{head}</tr>{body}</table>"


def fair_integration(f: dict) -> str:
    return (key_numbers([("individuals advised", f.get("individuals_advised")),
                         ("advice sessions", f.get("advice_sessions")), ("group events", f.get("group_events")),
                         ("referrals to Fair Mobility", f.get("fair_mobility_referrals"))])
            + bar_chart("Advice sessions by topic", breakdown(f, "sessions_by_topic"), f.get("advice_sessions")))


SECTIONS = [("counselling", "Counselling", counselling), ("training", "Qualification", training),
            ("intercultural_opening", "Intercultural opening", intercultural_opening),
            ("fair_integration", "Fair integration", fair_integration)]


def by_region(regions: dict) -> str:
    def figure(section: str, key: str) -> list[tuple[str, object]]:
        return [(code, (tree.get(section) or {}).get(key)) for code, tree in regions.items()]

    sessions, schemes = figure("counselling", "initial_advice_sessions"), figure("training", "schemes_started")
    return (bar_chart("Initial advice sessions by region", [(c, v) for c, v in sessions if v is not None])
            + bar_chart("Schemes started by region", [(c, v) for c, v in schemes if v is not None]))


def render(sheet: dict, public: bool) -> str:
    period = sheet.get("period") or {}
    scope = ", ".join(sheet.get("scope") or ["national"])
    note = (f'<p class="note">Public figures: a count of 1 or 2 is shown as “{PRIMARY}”; “{SECONDARY}” marks a '
            "count withheld so that the small ones cannot be worked out from totals. Shares of hidden counts "
            "are not shown.</p>" if public else '<p class="note">Exact figures, for authorised analysts only.</p>')
    parts = [f'<section aria-labelledby="{key}"><h2 id="{key}">{heading}</h2>{draw(sheet[key])}</section>'
             for key, heading, draw in SECTIONS if isinstance(sheet.get(key), dict)]
    if sheet.get("by_region"):
        parts.append(f'<section aria-labelledby="by_region"><h2 id="by_region">By region</h2>'
                     f'{by_region(sheet["by_region"])}</section>')
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE} · {escape(scope)} · '
            f'{escape(str(period.get("from")))} to {escape(str(period.get("to")))}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f"<body><header><h1>{TITLE}</h1>"
            f'<p>Period: <time datetime="{escape(str(period.get("from")))}">{escape(str(period.get("from")))}</time>'
            f' to <time datetime="{escape(str(period.get("to")))}">{escape(str(period.get("to")))}</time></p>'
            f'<p>Reference date (as of): <time>{escape(str(sheet.get("as_of")))}</time></p>'
            f"<p>Scope: {escape(scope)}</p>{note}</header><main>{''.join(parts)}</main></body></html>")

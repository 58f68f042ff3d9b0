"""The dispatch-bench section of docs/benchmarks.md: the world, the references, the table, the targets."""
from __future__ import annotations

from bench.dispatch_metrics import Outcome, Summary, rows
from bench.dispatch_engine import DECLINE_AFTER, ROUND_MINUTES
from bench.dispatch_sla import START
from bench.dispatch_world import CLAIM_P, DECLINE_P, ROSTER, SILENT_P, STORM_TICKETS, WALK_M_PER_MIN
from bench.doc_section import write_section
from domain.dispatch import DispatchPolicy
from domain.values import Priority

OURS, RR = "our dispatcher (config.yml)", "round-robin"
OPT_MEAN, OPT_BREACH, FLOOR = "offline plan, least mean time to resolve", "offline plan, fewest breaches first", \
    "lower bound"


def weights_text(policy: DispatchPolicy) -> str:
    w = policy.weights
    urgent = policy.capacities.get(Priority.URGENT)
    return (f"load {w.load:g}, distance {w.distance:g}/km, fairness {w.fairness:g}, deadline {w.deadline:g}/h, "
            f"capacity {policy.capacity}" + (f" (urgent {urgent})" if urgent else "")
            + (f", assign before due {policy.assign_before_due.total_seconds() / 60:g} min"
               if policy.assign_before_due else ""))


def sla_text(config) -> str:  # type: ignore[no-untyped-def]
    """config.yml's SLA as the simulator applies it."""
    s = config.sla
    per = lambda m: ", ".join(f"{p.value} {m[p]}" for p in Priority)  # noqa: E731
    hours = s.business_hours
    return (f"response {per(s.response_minutes)}; arrival {per(s.arrival_minutes)}; resolution "
            f"{per(s.resolution_minutes)} minutes, {'/'.join(p.value for p in s.business_hours_priorities)} "
            f"counting working minutes only ({'-'.join([hours.days[0], hours.days[-1]])} "
            f"{hours.start:%H:%M}-{hours.end:%H:%M} {config.timezone}, holidays skipped)")


def paired(kept: dict[str, list[Outcome]], days: int) -> str:
    """Day by day, ours against round-robin: how often it is better, so the reader can judge the noise."""
    def per_day(name: str) -> list[tuple[float, int]]:
        out = []
        for d in range(days):
            mine = [o for o in kept[name] if o.day == d]
            out.append((sum(o.resolve for o in mine) / len(mine), sum(o.breach for o in mine)))
        return out

    ours, rr = per_day(OURS), per_day(RR)
    faster = sum(a[0] < b[0] - 1e-9 for a, b in zip(ours, rr))
    fewer = sum(a[1] < b[1] for a, b in zip(ours, rr))
    more = sum(a[1] > b[1] for a, b in zip(ours, rr))
    return (f"Day by day against round-robin: a lower mean time to resolve on {faster} of {days} days; fewer "
            f"breaches on {fewer} days, more on {more}, as many on the rest.")


def split(kept: dict[str, list[Outcome]], storms: frozenset[int]) -> str:
    """Storm days against ordinary ones: where the differences come from."""
    def part(name: str, storm: bool) -> tuple[float, int]:
        mine = [o for o in kept[name] if (o.day in storms) is storm]
        return sum(o.resolve for o in mine) / len(mine), sum(o.breach for o in mine)

    text = []
    for storm, label in ((True, f"the {len(storms)} storm days"), (False, "the other days")):
        (o, ob), (r, rb), (m, _) = part(OURS, storm), part(RR, storm), part(OPT_MEAN, storm)
        text.append(f"on {label}, ours {o:.0f} min ({ob} breaches), round-robin {r:.0f} ({rb}), the offline plan "
                    f"for the mean {m:.0f} ({o / m:.2f}x)")
    return "Mean time to resolve " + "; ".join(text) + "."


# Found on the tuning days (make dispatch-bench never looks at the report days for this).
CAUSE = (
    "**Why ours breached more than greedy** (found on the tuning days, with the earlier config.yml). Greedy "
    "and round-robin missed mostly urgent arrival deadlines; ours had fewer of those but added response "
    "deadlines missed by minutes. A normal or low job reported in the evening or at night has its response "
    "deadline 240 working minutes after 08:00, i.e. 12:00, just as the late shift starts, and for `other` "
    "and for doors and windows on the day the day worker is off, the late shift's 吴师傅 is the only one "
    "with the skill. Greedy and round-robin push the job at 12:00:00 and it is accepted in time; ours "
    "offered it to a pool (claimed 1–8 minutes later) or left it to staff (who look every 15 minutes): 8 "
    "of its 23 breaches that the lower bound does not have, on 40 tuning days. Capacity, batch order and "
    "load mattered less: an urgent job's own capacity from 6 to unlimited changed nothing, and ranking by "
    "each technician's expected free time (category means of the job in hand and of the queue ahead of "
    "this job) was tried and breached more on the tuning days (54–57 against 51), so it is not in. **The "
    "change**: `assign_before_due_minutes` (config.yml dispatch, domain `DispatchPolicy.assign_before_due`): a "
    "pool or manual job that near its response deadline is assigned at once like an auto one, in the bot's "
    "round and in the simulator (whose timer round now wakes when that moment comes). Staff still see a "
    "manual job first; they lose it only when its deadline is that near.")


def out_of_reach(kept: dict[str, list[Outcome]], storms: frozenset[int], ratio: float) -> str:
    """Why 1.05x the offline plan's mean is out of reach online, with this run's storm/ordinary ratios."""
    def mean(name: str, storm: bool) -> float:
        mine = [o.resolve for o in kept[name] if (o.day in storms) is storm]
        return sum(mine) / len(mine)

    calm, storm = (mean(OURS, s) / mean(OPT_MEAN, s) for s in (False, True))
    return ("**Why 1.05x is out of reach online.** The offline plan knows the whole day: every arrival hours "
            f"ahead and every job's exact length. Ours is {ratio:.2f}x it overall, {calm:.2f}x on ordinary days "
            f"and {storm:.2f}x on storm days, when ~{STORM_TICKETS} reports arrive in five hours and the plan "
            "keeps technicians free for jobs it knows are coming and orders each queue shortest-first with the "
            "lengths known. Online, the dispatcher sees a job's category, not its length (lognormal, spread "
            "±50 %), nor later arrivals. The lower bound is not reachable by any schedule.")


def render(policy: DispatchPolicy, tuned: tuple[DispatchPolicy, float, float] | None, named: dict[str, Summary],
           kept: dict[str, list[Outcome]], seeds: tuple[range, range], buildings: int, config,  # type: ignore
           storms: frozenset[int], seconds: float) -> str:
    """The section's Markdown; `seeds` are the tuning and the report days'."""
    tune_seeds, report_seeds = seeds
    ours, rr = named[OURS], named[RR]
    fewer = 1 - ours.breaches / rr.breaches if rr.breaches else 0.0
    ratios = {name: ours.resolve_mean / named[name].resolve_mean for name in (OPT_MEAN, OPT_BREACH, FLOOR)}
    met_breaches = fewer >= 0.30
    met_mean = ratios[OPT_MEAN] <= 1.05
    lines = [
        "## Dispatch (`make dispatch-bench`, issue #10)", "",
        f"**The world** (bench/dispatch_world.py). The estate's {buildings} buildings "
        f"and their coordinates from config.yml; {len(ROSTER)} technicians with skills, zones and shifts (early, "
        "day, late, and one on call at night; one of the day workers is off each day); about 31 reports a day, "
        "quiet at night and peaking when people wake up (the night's reports and the 7–9 am peak are the "
        f"morning backlog) and in the evening; on 2 days in every 20 a storm adds ~{STORM_TICKETS} reports between "
        "14:00 and 19:00, mostly leaks and water coming in, a third urgent. Work takes a category's mean "
        f"(lognormal); walking is {WALK_M_PER_MIN * 60 / 1000:.1f} km/h on paths 1.3x the straight line. A "
        "technician works one job at a time, urgent ones first, finishes the job in hand after the shift and hands "
        f"back the rest. A pushed job is declined {DECLINE_AFTER:g} minutes later with chance {DECLINE_P:.0%} per "
        f"technician, and left unanswered with chance {SILENT_P:.0%} (it lapses after config.yml's accept_minutes); "
        "either way it goes back to dispatch without them, and when everyone declined, staff insist after 15 "
        f"minutes. An idle technician offered a pool job claims it with chance {CLAIM_P:.0%} within 1–8 minutes. "
        f"**SLA**: config.yml's, through the domain's own SlaPolicy and BusinessHours (bench/dispatch_sla.py): "
        f"{sla_text(config)}. Day i of a run is {START:%Y-%m-%d} + i days, so Sundays and holidays fall in. A "
        "ticket breaches when it misses any of its deadlines: taken on (accepted or claimed), work begun on "
        "site, work done. Every policy meets the same days.", "",
        "**The policies.** *Round-robin*: the next technician in turn who is on duty with the skill. *Greedy by "
        "score*: `rank()`'s best when the ticket arrives, whatever their load. *Our dispatcher*: what the bot's "
        "dispatch round (domain/usecases/dispatching.py) does, with config.yml's dispatch section: manual jobs "
        "(`other`) to staff, who pick the top of the ranking with room 15 minutes later; a pool job offered once "
        "per wait to the best few with room, and when the offer runs out unclaimed assigned like an auto job; "
        "a pool or manual job as near its response deadline as `assign_before_due_minutes` assigned at once; "
        "all auto jobs and expired offers assigned jointly by `assign_batch()` (scipy). **Rounds as in the bot**: "
        "after every event (arrival, job done, claim, decline, shift start or end) and on the "
        f"{ROUND_MINUTES * 60:.0f}-second timer (offers and acceptances run out on that grid; a timer round with "
        "nothing new would decide as the last did, so it is skipped). Round-robin and greedy retry what waits "
        "after every event too. *Every mode auto*: ours without pools or manual jobs.", "",
        "**The references** (bench/dispatch_offline.py) see each whole day in advance (every arrival, every "
        "job's length; no declines). The *offline plans* are the best schedules found: every online policy's "
        "realised schedule and best-insertion constructions, improved by moving single jobs to their best "
        "place until nothing improves; one minimises the mean time to resolve alone, the other puts fewest "
        "breaches first. They are feasible, so the true optimum is at least as good as them, and no better "
        "than the *lower bound*: per ticket, a skilled technician waiting for it alone (so its breaches and "
        "p95 bound every policy's), and for the mean, per category, the larger of that and a single machine "
        "as fast as the category's technicians on duty together, preemptive, shortest work first.", "",
        f"**Tuning.** On seeds {tune_seeds.start}–{tune_seeds.stop - 1} ({len(tune_seeds)} days) only: "
        "coordinate search over the load, distance, fairness and deadline weights, the capacity, the urgent "
        "jobs' own capacity and how near its response deadline a pool or manual job is assigned at once, twice "
        "round, minimising per ticket its time to resolve plus a week (10080 minutes) per breach, so fewest "
        "breaches first and the mean only between settings with as many (the breach-first offline plan's cost; "
        "the earlier mean + 10 minutes per percentage point of breaches let about a minute of mean buy a breach "
        "on the tuning days and did not carry over). The zone weight is not tuned: here zones matter only "
        "through distance, which has its own weight, so tuning would drop them, while in the estate they stand for what the simulation does not "
        "model (who knows a building's plant, holds its keys, answers for it).",
    ]
    if tuned is not None:
        best, before, after = tuned
        same = best == policy
        lines[-1] += (f" From config.yml's ({weights_text(policy)}: {before:.1f}) it found {weights_text(best)} "
                      f"({after:.1f}); " + ("config.yml holds these." if same else
                                            "**config.yml differs from the tuned values**; the table is config.yml's."))
    lines += ["", CAUSE]
    lines += ["", f"Reported on seeds {report_seeds.start}–{report_seeds.stop - 1} ({len(report_seeds)} days, "
              f"{ours.tickets} tickets, never used for tuning); {seconds:.0f} s on this 2-core machine.", ""]
    lines += rows(named.items())
    lines += ["", "**Targets.**",
              f"- At least 30 % fewer SLA breaches than round-robin: {ours.breaches} against {rr.breaches}, "
              f"{fewer:.0%} fewer: **{'met' if met_breaches else 'not met'}**. "
              f"{named[FLOOR].breaches} breaches happen whatever anyone does (the lower bound's), and the offline "
              f"plan that puts breaches first still has {named[OPT_BREACH].breaches}. What is left of ours is "
              "mostly urgent jobs on storm evenings, when one or two skilled technicians hold every job until "
              "their shift ends and the night's on-call has not the skill, and urgent jobs pushed late in a "
              "shift to someone whose job in hand outlasts it: the dispatcher knows neither how long the job in "
              "hand will take nor when a shift ends.",
              f"- Mean time to resolve within 5 % of the optimum: {ours.resolve_mean:.0f} min, "
              f"{ratios[OPT_MEAN]:.2f}x the best offline plan for the mean ({named[OPT_MEAN].resolve_mean:.0f}), "
              f"{ratios[OPT_BREACH]:.2f}x the breach-first plan's, {ratios[FLOOR]:.2f}x the lower bound: "
              f"**{'met' if met_mean else 'not met'}**.", "", split(kept, storms), "",
              paired(kept, len(report_seeds)), "", out_of_reach(kept, storms, ratios[OPT_MEAN])]
    return "\n".join(lines)


def write(markdown: str) -> None:
    write_section("dispatch-bench", markdown)

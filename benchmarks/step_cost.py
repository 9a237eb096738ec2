"""Cost of one resident step end to end, against a bare PTB echo handler on the same fake Bot API.

    python benchmarks/step_cost.py [--steps N]

Both run the real PTB Application with long polling against the loopback fake Bot API, with the same
request class (PTB's HTTPXRequest, with sniffio installed). A resident step: receive the update, load
the conversation, run the flow, store it (one SQLite transaction), render, send. The echo handler
receives the update and sends one message back. Steps are sent one at a time, and each is timed from
delivery until the bot's reply has arrived. Target: the ratio at most 2.0 on SQLite.
"""

from __future__ import annotations

import argparse
import statistics
import time

from harness import STEPS, BotThread, FakeBotApi, park, replies, temp_settings, wait_until


def timed_steps(fake: FakeBotApi, user: object, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        before = replies(fake)
        started = time.perf_counter()
        fake.user_sends_text(user, text)  # type: ignore[arg-type]
        wait_until(lambda before=before: replies(fake) > before, fake=fake)
        times.append(time.perf_counter() - started)
    return times


def echo_costs(steps: int) -> list[float]:
    from telegram import Update
    from telegram.ext import ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, update.message.text or "")

    with FakeBotApi() as fake:
        application = fake.application_builder().build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        user = fake.new_user("Echo")
        with BotThread(application):
            timed_steps(fake, user, ["warm up"] * 20)
            return timed_steps(fake, user, [STEPS[i % 2] for i in range(steps)])


def resident_costs(steps: int) -> list[float]:
    from bot.storage.repository import Repository
    from bot.telegram.app import build_application
    from bot.telegram.handlers import FloodGate

    with FakeBotApi() as fake:
        settings = temp_settings(fake)
        repository = Repository.open(settings)
        application = build_application(
            settings, repository, reminder_interval=3600, flood_gate=FloodGate(limit=None)
        )
        user = fake.new_user("Amina")
        with BotThread(application):
            park(fake, [user])
            timed_steps(fake, user, list(STEPS) * 10)  # warm up
            costs = timed_steps(fake, user, [STEPS[i % 2] for i in range(steps)])
        repository.close()
        return costs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=400)
    args = parser.parse_args()
    echo = echo_costs(args.steps)
    resident = resident_costs(args.steps)
    for name, costs in (("echo handler", echo), ("resident step", resident)):
        print(
            f"{name:<14} mean {statistics.fmean(costs) * 1e6:8.0f} µs   median {statistics.median(costs) * 1e6:8.0f} µs"
        )
    ratio = statistics.fmean(resident) / statistics.fmean(echo)
    print(f"ratio (resident / echo, means): {ratio:.2f}  (target <= 2.0)")
    print(f"ratio (medians): {statistics.median(resident) / statistics.median(echo):.2f}")


if __name__ == "__main__":
    main()

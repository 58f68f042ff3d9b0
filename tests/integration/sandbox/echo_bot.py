"""A tiny PTB bot used to prove the sandbox end to end: it echoes, offers buttons, and handles files."""
from __future__ import annotations

from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from sandbox import SandboxServer

CONFIRM = "echo:yes"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with the deep-link arguments and two buttons."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("确认 Yes", callback_data=CONFIRM),
                                      InlineKeyboardButton("Docs", url="https://example.org/docs")]])
    name = update.effective_user.first_name
    await update.message.reply_html(f"<b>Hello</b> {name}, args={' '.join(context.args)}", reply_markup=keyboard)


async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer in whatever chat the command came from."""
    await update.message.reply_text(f"pong in {update.effective_chat.type}")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Register a default menu and a personal one for this chat."""
    await context.bot.set_my_commands([BotCommand("help", "Help")])
    await context.bot.set_my_commands([BotCommand("jobs", "我的工单")], scope=BotCommandScopeChat(update.effective_chat.id),
                                      language_code="zh")
    await update.message.reply_text("menu set")


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Accept only the button this bot made; anything else is refused and changes nothing."""
    query = update.callback_query
    if query.data != CONFIRM:
        await query.answer("This button is not valid.", show_alert=True)
        return
    await query.answer("OK")
    await query.edit_message_text("Confirmed ✅")


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the largest size, then send the photo back by file_id."""
    largest = update.message.photo[-1]
    data = await (await largest.get_file()).download_as_bytearray()
    await update.message.reply_photo(largest.file_id, caption=f"{len(data)} bytes {largest.width}x{largest.height}")


async def voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Report what arrived."""
    v = update.message.voice
    await update.message.reply_text(f"voice {v.to_dict()['duration']}s {v.mime_type}")


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the file back as an upload, proving multipart sends."""
    d = update.message.document
    data = await (await d.get_file()).download_as_bytearray()
    await update.message.reply_document(bytes(data), filename=f"copy-{d.file_name}", caption=d.mime_type)


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say whose phone number it is."""
    c = update.message.contact
    mine = c.user_id == update.effective_user.id
    await update.message.reply_text(f"phone {c.phone_number} {'yours' if mine else 'not yours'}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo text."""
    await update.message.reply_text(f"echo: {update.message.text}")


def build_echo_bot(server: SandboxServer) -> Application:
    app = (ApplicationBuilder().token(server.token).base_url(server.bot_api_url)
           .base_file_url(server.file_api_url).build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("ping", ping))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(MessageHandler(filters.PHOTO, photo))
    app.add_handler(MessageHandler(filters.VOICE, voice))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    app.add_handler(MessageHandler(filters.CONTACT, contact))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


async def start_polling(app: Application) -> None:
    await app.initialize()
    await app.updater.start_polling(poll_interval=0.0, timeout=5)
    await app.start()


async def stop_polling(app: Application) -> None:
    await app.updater.stop()
    await app.stop()
    await app.shutdown()

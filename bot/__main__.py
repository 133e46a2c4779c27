"""`python -m bot`: the command line, with Ctrl-C during start-up ending quietly like Ctrl-C later on."""

from bot._startup import STARTUP_INTERRUPTED, restore_interrupt

try:
    from bot.cli import main
except KeyboardInterrupt:
    # Belt and braces: bot._startup already turns SIGINT into a quiet exit while the package imports.
    import sys

    sys.stderr.write(STARTUP_INTERRUPTED + "\n")
    raise SystemExit(130) from None

restore_interrupt()
raise SystemExit(main())

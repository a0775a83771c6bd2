"""Ctrl-C that reaches ``fit`` even where the code it interrupted swallowed it.

skorch's training loop catches ``KeyboardInterrupt`` and returns as if the
net had finished (a convention for interactive use), so a Ctrl-C while a
skorch classifier trained inside ``GWINClassifier.fit`` would be lost: the
GWIN would go on with a half-trained classifier and report nothing. While
``fit`` runs, :class:`InterruptWatch` notes every SIGINT before Python raises
it, and :meth:`InterruptWatch.check` raises it again between phases when
nobody let it through.
"""

import contextlib
import signal
import threading


class InterruptWatch:
    """Notes SIGINT while active; ``check`` re-raises one that was swallowed.

    Only active in the main thread, and only where SIGINT has Python's default
    handler (a user's own handler is left alone); elsewhere ``check`` never
    raises.
    """

    def __init__(self):
        self.pending = False
        self._previous = None

    def __enter__(self):
        in_main_thread = threading.current_thread() is threading.main_thread()
        if in_main_thread and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._note)
        return self

    def __exit__(self, *exc_info):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
        return False

    def _note(self, signum, frame):
        self.pending = True
        raise KeyboardInterrupt

    def check(self, phase):
        """Raise KeyboardInterrupt if a Ctrl-C came before this point and was swallowed.

        Parameters
        ----------
        phase : str
            What ran, for the message (e.g. "while the classifier trained").
        """
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt(f"Ctrl-C {phase} (caught there and raised again by the GWIN)")


class NoWatch:
    """The stand-in when nothing watches: ``check`` never raises."""

    pending = False

    def check(self, phase):
        pass


@contextlib.contextmanager
def ctrl_c_at_the_end_of_a_step():
    """The first Ctrl-C in the block is deferred: ``requested`` is True, and the loop stops when it checks.

    A training step interrupted half-way (between two parameters' updates in
    the optimiser) leaves weights no uninterrupted run would have, and a
    resumed run could not repeat it; so the first Ctrl-C lets the step finish.
    A second one raises KeyboardInterrupt at once. Only in the main thread,
    and only over Python's default handler or an :class:`InterruptWatch`'s (a
    user's own handler is left alone).

    Yields
    ------
    requested : list
        Empty until a Ctrl-C came.
    """
    requested = []
    previous = signal.getsignal(signal.SIGINT)
    ours = previous is signal.default_int_handler or isinstance(getattr(previous, "__self__", None), InterruptWatch)
    if threading.current_thread() is not threading.main_thread() or not ours:
        yield requested
        return

    def defer(signum, frame):
        if requested:
            raise KeyboardInterrupt
        requested.append(True)

    signal.signal(signal.SIGINT, defer)
    try:
        yield requested
    finally:
        signal.signal(signal.SIGINT, previous)

"""Facts about the running process that library code may rely on; set by the entry point only.

Kept apart (and free of imports) so that the command line can set them before
anything else is loaded.
"""

from __future__ import annotations

__all__ = ["ends_after_command"]

#: True when the process ends as soon as the current command returns, as the
#: ``sst-vocab`` command line does (:func:`sst_vocab.cli.main`).  Work that overruns
#: a time limit may then be left behind in a thread, which the exit stops, instead of
#: being isolated in a forked child that can be killed (2-10 ms dearer per call).
#: Library callers keep the default: nothing they start keeps running.
ends_after_command = False

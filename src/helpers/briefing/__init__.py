"""Run the briefing notebooks for a period and publish ``outputs/<period>/``.

The runner (:mod:`.runner`: :func:`~helpers.briefing.runner.run_period`,
:func:`~helpers.briefing.runner.run_all`) checks the request before any kernel starts
(:mod:`.plan`), executes every page's notebook with papermill in warm kernels,
channel pages side by side and then the data-quality and overview pages
(:mod:`.build`, :mod:`.execute`), hands each to the publishers (:mod:`.publish`:
offline HTML through :mod:`.render`, the board paper through :mod:`.pdf`), writes the
manifest (:mod:`.manifest`), and swaps the finished folder into place only when
everything succeeded. Errors a person can act on are in :mod:`.run_errors`.

The package imports nothing itself: its warm kernels import
:mod:`helpers.briefing.kernel_state`, which must not load the runner.
"""

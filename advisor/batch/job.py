"""One `advisor batch` run: inputs through the workers into the report, the summary and the chart."""

from __future__ import annotations

import time
from pathlib import Path

from rich.progress import (
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from advisor.batch.chart import bar_chart
from advisor.batch.formats import FORMATTERS
from advisor.batch.leftovers import remove_stale
from advisor.batch.running import WorkerCrashed, run
from advisor.batch.sources import (
    FROM_STANDARD_INPUT,
    Discovery,
    OutputIsInput,
    discover,
    refuse_output_among,
)
from advisor.batch.summary import Summary, render_markdown, render_short, render_text
from advisor.batch.worker import Evaluated, Settings, SpoolFailed
from advisor.batch.writers import (
    JsonListLayout,
    Layout,
    Output,
    SpooledLayout,
    write_atomically,
)
from advisor.errors import cannot_write, visible
from advisor.exits import ExitStatus, Terminated, stopped_by
from advisor.io.environment import Environment
from advisor.rulebase.loader import Rulebase


class BatchRun:
    """One run: its inputs through the workers into the report (a file, or `env`'s standard output)."""

    def __init__(self, paths: list[str], settings: Settings, rulebase: Rulebase, output: Path | None, jobs: int,
                 quiet: bool, env: Environment):
        self.paths, self.settings, self.output_path, self.jobs = paths, settings, output, jobs
        self.quiet, self.env, self.errors = quiet, env, env.error_console()
        self.summary = Summary.of(rulebase)
        self.found = Discovery.writing_to(output)
        self.chart: Path | None = None  # beside a Markdown report written to a file (see `execute`)
        self.rulebase = rulebase
        self.to_terminal = output is None and env.stdout_isatty  # the report is read as it comes, not kept

    def _layout(self, stream) -> Layout:
        fmt = self.settings.format
        header = FORMATTERS[fmt].header(anonymized=self.settings.anonymize_key is not None)
        if fmt == "json":
            return JsonListLayout(stream)
        if fmt == "markdown":
            return SpooledLayout(stream, header)
        return Layout(stream, header)

    def execute(self) -> ExitStatus:
        remove_stale(self.output_path.parent if self.output_path is not None else None)
        show_progress = not self.quiet and self.env.stderr_isatty and not self.to_terminal
        try:
            output = Output(self.output_path, None if self.output_path else self.env.stdout_bytes)
        except OSError as error:  # a read-only folder, or one the user may not write in
            self.errors.print(cannot_write(str(self.output_path), error), markup=False, soft_wrap=True)
            return ExitStatus.INVALID
        if self.settings.format == "markdown" and output.atomic:  # not standard output, a device or a pipe
            self.chart = output.path.with_suffix(".svg")
        started = time.perf_counter()
        progress = None
        try:
            refuse_output_among(self.paths, self.output_path)
            layout = self._layout(output.stream)
            piped = self.env.stdin_bytes if FROM_STANDARD_INPUT in self.paths else None
            outcomes = run(discover(self.paths, self.found, piped), self.settings, self.jobs)
            if show_progress:
                progress, task = self._progress()
            for outcome in outcomes:
                if isinstance(outcome, Evaluated):
                    layout.add(outcome.text)
                    continue
                if isinstance(outcome, Summary):  # of the chunk just written
                    self.summary.merge(outcome)
                else:
                    self.summary.failed(len(outcome.problems))
                    for problem in outcome.problems:
                        (progress.console if progress else self.errors).print(f"error: {problem}", markup=False, soft_wrap=True)
                if progress:
                    elapsed = time.perf_counter() - started
                    progress.update(task, completed=self.summary.profiles,
                                    rate=f"{self.summary.profiles / elapsed:,.0f}/s" if elapsed > 1 else "")
            if progress:
                progress.stop()
                progress = None
            found = self.found
            self.summary.files, self.summary.skipped, self.summary.repeated = found.files, found.skipped, found.repeated
            self.summary.seconds = time.perf_counter() - started
            layout.close(self._trailer())
            output.commit()
        except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (see advisor.exits)
            output.discard()
            self.errors.print(("terminated: " if isinstance(stop, Terminated) else "interrupted: ")
                              + ("no report written" if output.atomic else "the report is incomplete"),
                              markup=False)
            return stopped_by(stop)
        except OutputIsInput as error:
            output.discard()
            self.errors.print(f"error: --output {visible(str(self.output_path))} is also an input ({visible(error.shown)}):"
                              " the report would replace it\n  fix: write the report to a file that is not among the "
                              "inputs (outside the folders evaluated)", markup=False, soft_wrap=True)
            return ExitStatus.USAGE
        except WorkerCrashed as error:
            output.discard()
            self.errors.print(f"error: {error}", markup=False)
            return ExitStatus.INVALID
        except SpoolFailed as error:
            output.discard()
            self.errors.print(f"error: the workers could not write their output in {visible(error.filename)}: "
                              f"{error.strerror}\n  fix: free space there, or set TMPDIR to a folder with room "
                              "(or use --jobs 1, which needs no temporary files)", markup=False, soft_wrap=True)
            return ExitStatus.INVALID
        except OSError as error:  # the report itself (a full disk, a closed pipe): nothing half-written is kept
            output.discard()
            if isinstance(error, BrokenPipeError) and self.output_path is None:
                raise  # read by `head` or a pager that was closed: the command stops quietly (see advisor.cli.main)
            where = str(self.output_path) if self.output_path else "standard output"
            self.errors.print(cannot_write(where, error), markup=False, soft_wrap=True)
            return ExitStatus.INVALID
        except BaseException:
            output.discard()
            raise
        finally:
            if progress:
                progress.stop()
        self._report()
        if self.summary.profiles == 0 and self.summary.failed_inputs == 0:
            self.errors.print("error: no profile found in " + ", ".join(self.paths), markup=False)
            return ExitStatus.INVALID
        return ExitStatus.INVALID if self.summary.failed_inputs else ExitStatus.OK

    def _progress(self):
        rate = TextColumn("{task.fields[rate]}")  # profiles per second so far, for planning long runs
        progress = Progress(SpinnerColumn(), TextColumn("evaluating"), MofNCompleteColumn(), TextColumn("profiles"),
                            TimeElapsedColumn(), rate, console=self.errors, transient=True)
        progress.start()
        return progress, progress.add_task("batch", total=None, rate="")

    def _trailer(self) -> str:
        """What follows the profiles (or, for Markdown, goes before them): the full summary in the report itself,
        when it is kept (a file, or standard output that is no terminal)."""
        fmt = self.settings.format
        if fmt == "markdown":
            if self.chart is not None:
                write_atomically(self.chart, bar_chart(self.summary))
            return render_markdown(self.summary, self.chart.name if self.chart else None)
        if fmt == "table" and not self.to_terminal:
            return render_text(self.summary)
        return ""

    def _report(self) -> None:
        """The short summary on the terminal: after the table on standard output, else on standard error."""
        if self.settings.format == "table" and self.to_terminal:
            render_short(self.summary, self.env.console(), self._full())
        elif not self.quiet:
            render_short(self.summary, self.errors, self._full())
            if self.settings.format == "markdown" and self.chart is None:
                self.errors.print("notice: the chart is written beside a Markdown report written to a file with "
                                  "--output", markup=False)

    def _full(self) -> str:
        """Where the full summary is, or how to have it."""
        fmt, path = self.settings.format, self.output_path
        where = f"in {visible(str(path))}" if path is not None else "in the report on standard output"
        if fmt == "markdown":
            return f"The full summary: {where}" + (f", its chart in {visible(str(self.chart))}." if self.chart else ".")
        if fmt == "table" and not self.to_terminal:
            return f"The full summary: at the end of the report, {where}."
        return ("The full summary (every near miss, the most common reasons, a chart): run again with "
                "--format markdown --output report.md")


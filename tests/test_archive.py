"""Archive-scale import with the real command line: the cache (skip, re-extract, drop),
byte-identical re-runs, kill -9 and resume, each error class with its exit code, awkward
file names, a symlink loop, and the Dask executor on a LocalCluster (the same dataset,
and no Tesseract left running by a worker that ends). Typed fixtures mostly; the Dask
run OCRs one page."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from extract.errors import ExitCode
from pipeline import main
from tests.conftest import BAD, ROOT, SCANNED, pdf_path
from tests.test_ocr import fake_tesseract_env

CSVS = ("documents.csv", "facts.csv", "contributions.csv", "validation.csv", "pages.csv",
        "entities.csv", "members.csv")


def cli(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """`python -m pipeline ...` of this tree, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


def csv_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in CSVS}


def archive(folder: Path, names: dict[str, tuple[str, str]]) -> Path:
    """A folder of typed fixtures under the given names (sub/dirs allowed)."""
    for name, (key, producer) in names.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf_path(key, producer), folder / name)
    return folder


def test_rerun_skips_changed_file_is_extracted_again_removed_one_dropped(tmp_path, capsys):
    folder = archive(tmp_path / "in", {"a.pdf": ("003_nedansiljan_vp2026", "word"),
                                       "b/b.pdf": ("004_ornskoldsvik_vp2026", "report")})
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out), "--jobs", "2"]) == ExitCode.ok
    first = csv_bytes(out)
    capsys.readouterr()

    assert main(["extract", str(folder), "--out", str(out), "--jobs", "2"]) == ExitCode.ok
    err = capsys.readouterr().err
    assert err.count("cached ") == 2 and "(2 from the cache, 0 extracted)" in err
    assert csv_bytes(out) == first  # same inputs, byte-identical dataset

    shutil.copy(pdf_path("003_nedansiljan_vp2026", "report"), folder / "a.pdf")  # a new version
    (folder / "b" / "b.pdf").unlink()
    assert main(["extract", str(folder), "--out", str(out)]) == ExitCode.ok
    assert "(0 from the cache, 1 extracted)" in capsys.readouterr().err
    docs = pd.read_csv(out / "documents.csv")
    assert list(docs.source_file) == [str(folder / "a.pdf")]
    assert set(pd.read_csv(out / "facts.csv").document_id) == set(docs.document_id)
    assert len(list((out / ".cache").glob("*.pickle"))) == 1  # the cache mirrors the dataset


def test_nothing_changed_nothing_written_but_an_edited_output_is_written_again(tmp_path, capsys):
    folder = archive(tmp_path / "in", {"a.pdf": ("003_nedansiljan_vp2026", "word")})
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out)]) == ExitCode.ok
    first = csv_bytes(out)
    outputs = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts]
    stamps = {p: p.stat().st_mtime_ns for p in outputs}
    capsys.readouterr()

    assert main(["extract", str(folder), "--out", str(out)]) == ExitCode.ok
    assert "which is up to date: nothing written" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in outputs} == stamps  # not one file touched

    (out / "facts.csv").write_text("edited by hand\n")
    (out / "parquet" / "documents.parquet").unlink()
    assert main(["extract", str(folder), "--out", str(out)]) == ExitCode.ok
    assert "facts written to" in capsys.readouterr().err
    assert csv_bytes(out) == first and (out / "parquet" / "documents.parquet").is_file()

    assert main(["extract", str(folder), "--out", str(out), "--excel"]) == ExitCode.ok  # another option
    assert "facts written to" in capsys.readouterr().err and (out / "excel" / "facts.csv").is_file()


def test_kill_9_then_resume_gives_the_clean_run(tmp_path):
    """Kill a real run when some documents are done, run the same command again: the
    CSVs are those of an uninterrupted run, nothing lost, nothing twice, no leftovers."""
    names = {f"{key}.{producer}.pdf": (key, producer)
             for key in ("003_nedansiljan_vp2026", "004_ornskoldsvik_vp2026")
             for producer in ("word", "report")}
    folder = archive(tmp_path / "in", names)
    shutil.copy(BAD / "truncated.pdf", folder / "truncated.pdf")
    clean, resumed = tmp_path / "clean", tmp_path / "resumed"
    assert cli("extract", str(folder), "--out", str(clean), "--jobs", "2").returncode == ExitCode.partial

    run = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(folder), "--out", str(resumed),
                            "--jobs", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = resumed / ".cache"
    deadline = time.monotonic() + 120
    while len(list(cache.glob("*.pickle"))) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert no_process_mentions(str(resumed)), "a worker of the killed run lingers"
    done_before = len(list(cache.glob("*.pickle")))
    assert 2 <= done_before < len(names) + 1, "the run was not killed mid-way"
    assert not (resumed / "documents.csv").exists()

    again = cli("extract", str(folder), "--out", str(resumed), "--jobs", "2")
    assert again.returncode == ExitCode.partial
    assert f"({done_before} from the cache, {len(names) + 1 - done_before} extracted)" in again.stderr
    assert csv_bytes(resumed) == csv_bytes(clean)
    assert not list(resumed.rglob("*.tmp"))


def processes_mentioning(text: str) -> list[str]:
    """The command lines of the processes that have `text` on their command line or in
    their environment (forked workers carry their parent's command line; a fake Tesseract
    and the processes it starts carry the test's PATH)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline, environ = (proc / "cmdline").read_bytes(), (proc / "environ").read_bytes()
        except OSError:  # ended meanwhile, or not ours
            continue
        if text.encode() in cmdline + environ:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def no_process_mentions(text: str, within_s: float = 10.0) -> bool:
    """Whether, within a few seconds, no process mentions `text` (see above)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not processes_mentioning(text):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("limit", ["--page-timeout", "--doc-timeout"])
def test_no_tesseract_outlives_a_timeout(tmp_path, one_page_scan, limit):
    """A Tesseract that hangs is ended with the page's timeout (pytesseract kills it) or
    with the document's (its worker is killed with its process group): when the command
    returns, none is left running."""
    env = fake_tesseract_env(tmp_path, "hang")
    timeouts = {"--page-timeout": "60", "--doc-timeout": "60", limit: "2"}
    proc = cli("extract", str(one_page_scan), "--out", str(tmp_path / "out"), "--jobs", "1",
               *(arg for item in timeouts.items() for arg in item), env=env)
    assert proc.returncode == (ExitCode.partial if limit == "--page-timeout" else ExitCode.timeout), proc.stderr
    assert no_process_mentions(str(tmp_path / "bin"), within_s=2), processes_mentioning(str(tmp_path / "bin"))


def test_no_tesseract_outlives_a_killed_run(tmp_path, one_page_scan):
    """kill -9 of a run while a worker waits for Tesseract: the worker dies with its
    parent and takes its Tesseract with it; the folder where its Tesseract read pages
    is gone once the same command has run again, which leaves none of its own."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = fake_tesseract_env(tmp_path, "hang", TMPDIR=str(temp))
    marker = str(tmp_path / "bin")
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(one_page_scan), "--out",
                            str(tmp_path / "out"), "--jobs", "1", "--page-timeout", "60"],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any("sleep" in c for c in processes_mentioning(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert any("sleep" in c for c in processes_mentioning(marker)), "Tesseract was never started"
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert no_process_mentions(marker, within_s=5), processes_mentioning(marker)
    from extract.ocr import _running, folder_owner

    left = [p.name for p in temp.iterdir() if folder_owner(p.name) is not None]
    assert left  # nothing cleaned up under kill -9
    workers = [folder_owner(name) for name in left]
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)  # the killed run's worker ends itself once it sees its parent gone
    (tmp_path / "again").mkdir()
    again = fake_tesseract_env(tmp_path / "again", "junk", TMPDIR=str(temp))  # a Tesseract that answers
    proc = cli("extract", str(one_page_scan), "--out", str(tmp_path / "out"), "--jobs", "1", env=again)
    assert proc.returncode == ExitCode.ok, proc.stderr
    assert not [p.name for p in temp.iterdir() if folder_owner(p.name) is not None]  # its own too


def test_doc_timeout_counts_only_time_worked_on(tmp_path, one_page_scan):
    """Four scans of about 4 s of work each (a Tesseract that takes 3 s a page) on one
    worker, 8 s per document: the run takes longer than that (12 s of Tesseract alone), and
    no document, however long it waited behind the others, times out."""
    from pypdf import PdfReader, PdfWriter

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):  # the same page, different bytes: each is extracted
        writer = PdfWriter()
        writer.add_page(PdfReader(one_page_scan).pages[0])
        writer.add_metadata({"/Title": f"scan {i}"})
        with (folder / f"scan {i}.pdf").open("wb") as handle:
            writer.write(handle)
    env = fake_tesseract_env(tmp_path, "slow")
    start = time.monotonic()
    proc = cli("extract", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", "--doc-timeout", "8", env=env)
    assert time.monotonic() - start > 12
    assert proc.returncode == ExitCode.ok, proc.stderr
    assert "timed out" not in proc.stderr and "4 ok" in proc.stderr


def test_same_bytes_under_two_names_are_extracted_once(tmp_path, capsys):
    folder = archive(tmp_path / "in", {"a.pdf": ("003_nedansiljan_vp2026", "word"),
                                       "kopia/b.pdf": ("003_nedansiljan_vp2026", "word"),
                                       "c.pdf": ("004_ornskoldsvik_vp2026", "report")})
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out), "--jobs", "2"]) == ExitCode.ok
    err = capsys.readouterr().err
    assert "(0 from the cache, 2 extracted, 1 with the same bytes as another file)" in err
    same = [line for line in err.splitlines() if line.startswith("same ")]
    assert len(same) == 1 and f"{folder / 'kopia' / 'b.pdf'}:" in same[0]
    assert same[0].endswith(f"same bytes as {folder / 'a.pdf'}, not extracted again")
    docs = pd.read_csv(out / "documents.csv").set_index("source_file")
    a, b = docs.loc[str(folder / "a.pdf")], docs.loc[str(folder / "kopia" / "b.pdf")]
    assert a.facts > 0 and a.status == "ok"
    assert pd.isna(a.same_bytes_as) and b.same_bytes_as == str(folder / "a.pdf")
    assert a.drop("same_bytes_as").equals(b.drop("same_bytes_as"))  # the same row but for the name
    # one document: its facts, checks and pages once, so that no sum counts them twice
    facts = pd.read_csv(out / "facts.csv")
    assert (facts.document_id == a.document_id).sum() == a.facts
    pages = pd.read_csv(out / "pages.csv")
    assert (pages.document_id == a.document_id).sum() == a.pages
    assert not pd.read_csv(out / "validation.csv").duplicated().any()
    assert main(["report", str(out), "--out", str(tmp_path / "report.html")]) == 0
    assert "Underlag: 2 dokument" in (tmp_path / "report.html").read_text(encoding="utf-8")

    assert main(["extract", str(folder), "--out", str(out)]) == ExitCode.ok  # both from the one entry
    assert "(3 from the cache, 0 extracted)" in capsys.readouterr().err
    assert len(list((out / ".cache").glob("*.pickle"))) == 2


def huge_image_pdf(path: Path, pixels: int = 20000) -> Path:
    """A one-page PDF that declares a pixels × pixels image (16 bytes of data): only
    its dictionary says how large it is, which is all finsam may look at."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    image = DecodedStreamObject()
    image.set_data(b"\x00" * 16)
    image.update({NameObject(k): v for k, v in {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"), "/Width": NumberObject(pixels),
        "/Height": NumberObject(pixels), "/ColorSpace": NameObject("/DeviceGray"),
        "/BitsPerComponent": NumberObject(8)}.items()})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})})
    content = DecodedStreamObject()
    content.set_data(b"q 500 0 0 700 40 60 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.write(path)
    return path


def many_pages_pdf(path: Path, pages: int = 2000) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(path)
    return path


@pytest.mark.parametrize("make,words", [(huge_image_pdf, "20000 × 20000 px"), (many_pages_pdf, "2000 pages")])
def test_too_large_is_refused_before_rasterizing(tmp_path, make, words):
    pdf = make(tmp_path / "large file.pdf")
    start = time.monotonic()
    proc = cli("extract", str(pdf), "--out", str(tmp_path / "out"))
    assert proc.returncode == ExitCode.input_too_large, proc.stderr
    assert time.monotonic() - start < 60  # nothing was rasterized or OCR'd
    row = pd.read_csv(tmp_path / "out" / "documents.csv").iloc[0]
    assert (row.status, row.error_class) == ("failed", "too_large") and words in row.error


@pytest.mark.parametrize("behaviour,code,error_class,words", [
    ("hang", ExitCode.timeout, "timeout", "timed out after 2 s"),
    (None, ExitCode.missing_dependency, "missing_tesseract", "apt-get install tesseract-ocr"),
])
def test_environment_failures_have_their_class_and_are_retried(tmp_path, behaviour, code, error_class, words):
    scan = SCANNED / "003_nedansiljan_vp2026.scan.pdf"
    env = fake_tesseract_env(tmp_path, behaviour, FINSAM_OCR_TIMEOUT="20")
    out = tmp_path / "out"
    for _ in range(2):  # not cached: the second run tries again
        proc = cli("extract", str(scan), "--out", str(out), "--doc-timeout", "2", "--jobs", "2", env=env)
        assert proc.returncode == code, proc.stderr
        assert "0 from the cache" in proc.stderr
    row = pd.read_csv(out / "documents.csv").iloc[0]
    assert (row.status, row.error_class) == ("failed", error_class) and words in row.error


def test_awkward_names_and_a_symlink_loop(tmp_path):
    names = {'Budget "2026" o\'hara.pdf': ("003_nedansiljan_vp2026", "word"),
             "Årsredovisning för Öst & Väst/plan 2026 ä.pdf": ("004_ornskoldsvik_vp2026", "report")}
    folder = archive(tmp_path / "arkiv med mellanslag", names)
    (folder / "Årsredovisning för Öst & Väst" / "loop").symlink_to(folder, target_is_directory=True)
    out = tmp_path / "ut"
    proc = cli("extract", str(folder), "--out", str(out), timeout=120)
    assert proc.returncode == ExitCode.ok, proc.stderr
    docs = pd.read_csv(out / "documents.csv")
    assert sorted(docs.source_file) == sorted(str(folder / n) for n in names)
    assert set(docs.status) == {"ok"}


def test_dask_local_cluster_gives_the_same_dataset(tmp_path, one_page_scan):
    distributed = pytest.importorskip("distributed")
    folder = archive(tmp_path / "in", {"a.pdf": ("003_nedansiljan_vp2026", "report"),
                                       "b.pdf": ("004_ornskoldsvik_vp2026", "word")})
    shutil.copy(one_page_scan, folder / "c scan.pdf")
    shutil.copy(BAD / "encrypted.pdf", folder / "d.pdf")
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["extract", str(folder), "--out", str(local), "--jobs", "2", "--quiet"]) == ExitCode.partial
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        code = main(["extract", str(folder), "--out", str(dask), "--quiet", "--executor", "dask",
                     "--scheduler", cluster.scheduler_address])
    assert code == ExitCode.partial
    assert csv_bytes(dask) == csv_bytes(local)
    assert pd.read_csv(dask / "documents.csv").ocr_pages.sum() == 1


def test_dask_cache_tag_has_the_workers_tesseract(tmp_path, capsys):
    """The workers' Tesseract says it is 9.9.9, this machine's another: the cache tag of a
    Dask run has the workers' version, so the next Dask run takes its results and a local
    run does not (another Tesseract reads scans differently). The version is set
    through the workers' PATH (a fake `tesseract` first on it), which finsam reads."""
    distributed = pytest.importorskip("distributed")
    from run.batch import cache_tag
    from run.executors import DaskExecutor
    from run.work import Settings

    folder = archive(tmp_path / "in", {"a.pdf": ("003_nedansiljan_vp2026", "word")})
    out = tmp_path / "out"
    workers_path = fake_tesseract_env(tmp_path, "hang", version="9.9.9")["PATH"]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, env={"PATH": workers_path}) as cluster:
        executor = DaskExecutor(cluster.scheduler_address)
        try:
            assert cache_tag(Settings(), executor) == Settings().cache_tag("9.9.9")
        finally:
            executor.close()
        dask = ["extract", str(folder), "--out", str(out), "--executor", "dask", "--scheduler",
                cluster.scheduler_address]
        assert main(dask) == ExitCode.ok
        assert main(dask) == ExitCode.ok
        assert "(1 from the cache, 0 extracted)" in capsys.readouterr().err
    assert main(["extract", str(folder), "--out", str(out)]) == ExitCode.ok
    assert "(0 from the cache, 1 extracted)" in capsys.readouterr().err


def _leave_a_tesseract_running() -> tuple[int, int]:
    """On a Dask worker: read a blank image with the worker's running Tesseract, which
    stays running for the next page; the worker's and Tesseract's process ids."""
    from PIL import Image

    from extract.ocr import OCR_LANGUAGES, PAGE_CONFIG, tesseract_stream

    stream = tesseract_stream(OCR_LANGUAGES, PAGE_CONFIG)
    stream.read(Image.new("L", (64, 64), 255), 1, 60)
    return os.getpid(), stream.pid


@pytest.mark.parametrize("how", ["restart", "kill -9"])
def test_a_dask_worker_that_ends_leaves_no_tesseract_running(how):
    """A Dask worker's running Tesseract ends with the worker, whether the cluster restarts
    the worker (its nanny ends it) or the worker is killed outright: Tesseract reads its
    pages from the worker's pipe and leaves when the pipe closes."""
    distributed = pytest.importorskip("distributed")
    from extract.ocr import _running

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        worker, tesseract = client.submit(_leave_a_tesseract_running, pure=False).result(timeout=120)
        assert _running(tesseract)
        if how == "restart":
            client.restart()
        else:
            os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while _running(tesseract) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(tesseract), f"Tesseract {tesseract} outlived its worker ({how})"


def test_dask_without_scheduler_is_a_usage_error(tmp_path):
    assert main(["extract", str(pdf_path("003_nedansiljan_vp2026", "word")), "--out", str(tmp_path),
                 "--executor", "dask"]) == ExitCode.bad_args


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("run.executors.CONNECT_TIMEOUT_S", 2.0)  # nothing listens on port 9
    code = main(["extract", str(pdf_path("003_nedansiljan_vp2026", "word")), "--out", str(tmp_path),
                 "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == ExitCode.bad_args and "cannot reach a Dask scheduler" in capsys.readouterr().err


def test_a_run_from_the_cache_does_not_load_the_publish_stage():
    """pandas and DuckDB are most of the start-up of a fully cached run: the modules a
    run needs before it knows whether anything is to be written must not import them."""
    code = ("import sys; import pipeline, run.batch, run.cache, run.executors, run.work; "
            "print(' '.join(m for m in ('pandas', 'duckdb') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


class InTurn:
    """An executor that runs each task in this process when it is submitted and hands
    back one finished task at a time, the oldest first: the scheduler's choices, and
    only they, decide the order of the work."""
    slots = 1
    spare_core = False

    def __init__(self):
        self.submitted: list[str] = []

    def submit(self, fn, *args):
        import concurrent.futures as cf

        what = (f"{Path(args[0].path).name} page {args[0].number}" if fn.__name__ == "ocr_page"
                else f"{fn.__name__} {Path(args[0]).name}")
        self.submitted.append(what)
        future = cf.Future()
        future.set_result(fn(*args))
        future.order = len(self.submitted)
        return future

    def wait_first(self, futures, timeout):
        return set(sorted(futures, key=lambda f: f.order)[:1])

    def started(self, future):
        return time.monotonic()

    def stop(self, future):
        pass

    def everywhere(self, fn):
        return [fn()]

    def close(self):
        pass


def test_a_document_s_last_stage_waits_behind_the_pages_already_waiting(tmp_path, one_page_scan):
    """When a document's last page is read, its last stage (facts, checks, the cells read
    again) goes after the pages of other documents already waiting: a page holds up its
    document, a last stage holds up nothing, and at the end of a run the last stages fill
    the workers once the last pages are read. Starting new documents still waits for both."""
    from run.batch import Document, run_documents
    from run.work import Settings

    three_pages = SCANNED / "004_ornskoldsvik_vp2026.scan.pdf"
    typed = pdf_path("001_ostra_varmland_vp2025", "word")
    docs = [Document(path, path.name, sha256=f"{n:064x}") for n, path in enumerate((one_page_scan, three_pages, typed))]
    executor = InTurn()
    run_documents(docs, executor, Settings(), lambda doc: None)
    one, three = one_page_scan.name, three_pages.name
    assert executor.submitted == [
        f"start_document {one}", f"start_document {three}",
        f"{one} page 1", f"{three} page 1", f"{three} page 2", f"{three} page 3",
        f"finish_document {one}", f"finish_document {three}", f"start_document {typed.name}"]
    assert all(doc.outcome.result.status == "ok" for doc in docs), [d.outcome.result.error for d in docs]


class TwoSlots(InTurn):
    slots = 2


class OneSlotSpareCore(InTurn):
    spare_core = True  # one worker on a machine of more cores


THREE = ["001_ostra_varmland_vp2025", "003_nedansiljan_vp2026", "004_ornskoldsvik_vp2026"]


@pytest.mark.parametrize("executor_class, names, expected", [
    # three documents for two workers: idle once the second is done and only the third runs
    (TwoSlots, THREE, ["start 0", "start 1", "start 2", "done 0", "done 1", "idle", "done 2"]),
    # one document for two workers: one of them has nothing to do from the start
    (TwoSlots, ["003_nedansiljan_vp2026"], ["start 0", "idle", "done 0"]),
    # one worker with a core left over for the parent: at once, once the worker has work
    (OneSlotSpareCore, THREE, ["start 0", "start 1", "idle", "done 0", "start 2", "done 1", "done 2"]),
    # one worker and no core to spare: never while it works (the run's end is soon enough)
    (InTurn, THREE, ["start 0", "start 1", "done 0", "start 2", "done 1", "done 2"]),
])
def test_the_parent_prepares_the_writing_once_when_it_costs_the_workers_nothing(executor_class, names, expected):
    """`when_idle` (the parent importing the dataset's writer) runs once, as soon as the
    parent has a core of its own, or a worker slot is free and no task waits to be sent:
    then it costs the workers nothing, where after the run they would wait for it."""
    from run.batch import Document, run_documents
    from run.work import Settings

    paths = [pdf_path(name, "word") for name in names]
    docs = [Document(path, path.name, sha256=f"{n:064x}") for n, path in enumerate(paths)]
    executor = executor_class()
    events: list[str] = []
    executor.submitted = events
    run_documents(docs, executor, Settings(), lambda doc: events.append(f"done {docs.index(doc)}"),
                  when_idle=lambda: events.append("idle"))
    names_in_order = {f"start_document {p.name}": f"start {n}" for n, p in enumerate(paths)}
    assert [names_in_order.get(e, e) for e in events] == expected
    assert all(doc.outcome.result.status == "ok" for doc in docs)


def test_local_workers_leave_the_parent_a_core_only_when_fewer_than_the_cores():
    from extract.pages import default_jobs
    from run.executors import LocalExecutor

    cores = default_jobs()
    assert LocalExecutor(cores).spare_core is False
    assert LocalExecutor(cores + 1).spare_core is False
    assert LocalExecutor(1).spare_core is (cores > 1)


def test_local_workers_collect_garbage_less_often_than_python_s_default():
    """The threshold is set in the worker (not only where it was imported), and it is not
    Python's default, which the parent keeps."""
    import gc

    from run.executors import WORKER_GC_THRESHOLD, LocalExecutor

    executor = LocalExecutor(1)
    try:
        future = executor.submit(gc.get_threshold)
        assert executor.wait_first([future], timeout=60) == {future}
        assert future.result() == WORKER_GC_THRESHOLD
        assert gc.get_threshold() == (700, 10, 10) != WORKER_GC_THRESHOLD
    finally:
        executor.close()

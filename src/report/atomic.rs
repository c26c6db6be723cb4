//! Atomic output files: everything is written to a hidden temp file in the target folder and
//! renamed over the final name only when complete, so an interrupted run leaves no half-written
//! CSV (the temp file is removed on drop; a killed process may leave a `.hotline-*.tmp` behind,
//! never a truncated `intervals.csv`).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A file that appears under its final name only on [`AtomicFile::commit`].
pub struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<Self> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".hotline-{}-{}.tmp", std::process::id(), name));
        let file = File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            writer: Some(BufWriter::new(file)),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let writer = self.writer.take().expect("writer present until commit");
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&self.tmp, &self.target)
    }

    pub fn target(&self) -> &Path {
        &self.target
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer
            .as_mut()
            .expect("writer present until commit")
            .write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer
            .as_mut()
            .expect("writer present until commit")
            .flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// A CSV file of `T` rows written atomically; the header comes from `T`'s field names. Numbers
/// are written by the rule of [`super::numbers`]: whole numbers as integers, other figures to six
/// significant digits.
///
/// A file with no rows still gets its header (pandas and Excel read an empty table; a 0-byte
/// file is an error to them). The csv crate writes a struct's header with its first record, so
/// for an empty file the header is read off `T::default()` (see [`header_of`]). Rows that are
/// plain lists (`Vec<String>`) have no field names: their writers write the header row
/// themselves.
pub struct AtomicCsv<T> {
    writer: csv::Writer<AtomicFile>,
    rows: u64,
    row: std::marker::PhantomData<fn(&T)>,
}

impl<T: Serialize + Default> AtomicCsv<T> {
    pub fn create(target: &Path) -> io::Result<Self> {
        Ok(AtomicCsv {
            writer: csv::Writer::from_writer(AtomicFile::create(target)?),
            rows: 0,
            row: std::marker::PhantomData,
        })
    }

    pub fn write(&mut self, row: &T) -> io::Result<()> {
        self.rows += 1;
        self.writer
            .serialize(super::numbers::Rounded::csv(row))
            .map_err(io::Error::other)
    }

    /// Writes the header if no row was written, then commits the file.
    pub fn commit(self) -> io::Result<()> {
        let mut file = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        if self.rows == 0 {
            file.write_all(&header_of::<T>()?)?;
        }
        file.commit()
    }
}

/// The CSV header line (with its line end) of rows of type `T`, as the csv crate writes it
/// before the first record; empty for rows without field names (lists). Read off
/// `T::default()`: the same record written with and without the header differs by the header.
pub fn header_of<T: Serialize + Default>() -> io::Result<Vec<u8>> {
    let encode = |headers: bool| -> io::Result<Vec<u8>> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(headers)
            .from_writer(Vec::new());
        w.serialize(super::numbers::Rounded::csv(&T::default()))
            .map_err(io::Error::other)?;
        w.into_inner().map_err(|e| io::Error::other(e.to_string()))
    };
    let with = encode(true)?;
    let without = encode(false)?;
    Ok(with[..with.len() - without.len()].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"a,b\n1,2\n").unwrap();
        assert!(!target.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "a,b\n1,2\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file left behind"
        );
    }

    #[derive(Default, Serialize)]
    struct Row {
        queue: String,
        wait_from_s: f64,
        calls: Option<u64>,
    }

    #[test]
    fn a_csv_without_rows_still_has_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("empty.csv");
        AtomicCsv::<Row>::create(&target).unwrap().commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "queue,wait_from_s,calls\n"
        );
        // With rows, the header is written once, as before.
        let mut w = AtomicCsv::create(&target).unwrap();
        w.write(&Row {
            queue: "all".into(),
            wait_from_s: 20.0,
            calls: Some(3),
        })
        .unwrap();
        w.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "queue,wait_from_s,calls\nall,20,3\n"
        );
        // Rows without field names (a list) give no header of their own.
        assert!(header_of::<Vec<String>>().unwrap().is_empty());
    }

    #[test]
    fn an_abandoned_file_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old complete file\n").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"half a ro").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "old complete file\n"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

//! The IVR menu tree a caller walks. TODO

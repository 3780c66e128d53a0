pub mod codes;
pub mod decode;
pub mod entries;
pub mod import;
pub mod report;
pub mod systems;

pub mod codes;
pub mod decode;
pub mod entries;
pub mod import;
pub mod qr;
pub mod report;
pub mod systems;
pub mod transfer;

pub mod decode;
pub mod systems;

//! The data the families train on, shipped with the project (nothing is fetched at run time):
//! the built-in 2-D distributions ([`toy2d`]), the MNIST digits ([`mnist`]) and the UCI optical
//! digits brought to MNIST's shape ([`optdigits`], CycleGAN's second domain). `data/` imports
//! only `gan/` and the error type.

pub mod captions;
pub mod mnist;
pub mod optdigits;
pub mod toy2d;

pub use mnist::{Mnist, PIXELS, Split};
pub use optdigits::parse_optdigits;
pub use toy2d::{Dataset, Distribution2d};

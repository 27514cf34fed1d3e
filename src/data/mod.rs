//! The data the families train on, shipped with the project (nothing is fetched at run time):
//! the built-in 2-D distributions ([`toy2d`]) and the MNIST digits ([`mnist`]). `data/` imports
//! only `gan/` and the error type.

pub mod mnist;
pub mod toy2d;

pub use mnist::{Mnist, PIXELS, Split};
pub use toy2d::{Dataset, Distribution2d};

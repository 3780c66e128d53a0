//! Just enough raster graphics to fake screenshots and camera frames: colour pages drawn
//! with rectangles, grey planes in floating point, a projective warp, blur, noise and
//! lighting, and PNG/JPEG output.

use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

use crate::rng::Rng;

/// An 8-bit RGB picture: a page as a browser draws it.
#[derive(Clone)]
pub struct Rgb {
    pub w: usize,
    pub h: usize,
    pub data: Vec<u8>,
}

impl Rgb {
    pub fn new(w: usize, h: usize, color: [u8; 3]) -> Self {
        let mut data = Vec::with_capacity(w * h * 3);
        for _ in 0..w * h {
            data.extend_from_slice(&color);
        }
        Rgb { w, h, data }
    }

    /// Fills a rectangle, clipped to the picture.
    pub fn fill(&mut self, x: i64, y: i64, w: i64, h: i64, color: [u8; 3]) {
        let x0 = x.clamp(0, self.w as i64) as usize;
        let y0 = y.clamp(0, self.h as i64) as usize;
        let x1 = (x + w).clamp(0, self.w as i64) as usize;
        let y1 = (y + h).clamp(0, self.h as i64) as usize;
        for yy in y0..y1 {
            for xx in x0..x1 {
                let i = (yy * self.w + xx) * 3;
                self.data[i..i + 3].copy_from_slice(&color);
            }
        }
    }

    pub fn grey(&self) -> Plane {
        let data = self
            .data
            .chunks_exact(3)
            .map(|p| 0.2126 * p[0] as f32 + 0.7152 * p[1] as f32 + 0.0722 * p[2] as f32)
            .collect();
        Plane {
            w: self.w,
            h: self.h,
            data,
        }
    }

    /// Resampled by a factor, as a browser zoom or a HiDPI screen does (bilinear).
    pub fn scaled(&self, factor: f64) -> Rgb {
        let w = ((self.w as f64 * factor).round() as usize).max(1);
        let h = ((self.h as f64 * factor).round() as usize).max(1);
        let mut data = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let sx = (x as f64 + 0.5) / factor - 0.5;
                let sy = (y as f64 + 0.5) / factor - 0.5;
                for c in 0..3 {
                    data.push(self.bilinear(sx, sy, c).round() as u8);
                }
            }
        }
        Rgb { w, h, data }
    }

    fn bilinear(&self, x: f64, y: f64, c: usize) -> f64 {
        let x = x.clamp(0.0, (self.w - 1) as f64);
        let y = y.clamp(0.0, (self.h - 1) as f64);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (fx, fy) = (x - x0 as f64, y - y0 as f64);
        let at = |xx: usize, yy: usize| self.data[(yy * self.w + xx) * 3 + c] as f64;
        let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
        let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    pub fn save_png(&self, path: &Path) -> std::io::Result<()> {
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(
                &self.data,
                self.w as u32,
                self.h as u32,
                ExtendedColorType::Rgb8,
            )
            .map_err(std::io::Error::other)?;
        std::fs::write(path, out)
    }

    pub fn save_jpeg(&self, path: &Path, quality: u8) -> std::io::Result<()> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, quality)
            .write_image(
                &self.data,
                self.w as u32,
                self.h as u32,
                ExtendedColorType::Rgb8,
            )
            .map_err(std::io::Error::other)?;
        std::fs::write(path, out)
    }
}

/// A grey picture in floating point (0 black, 255 white): a camera's view.
#[derive(Clone)]
pub struct Plane {
    pub w: usize,
    pub h: usize,
    pub data: Vec<f32>,
}

impl Plane {
    pub fn new(w: usize, h: usize, value: f32) -> Self {
        Plane {
            w,
            h,
            data: vec![value; w * h],
        }
    }

    fn bilinear(&self, x: f64, y: f64) -> f32 {
        let x = x.clamp(0.0, (self.w - 1) as f64);
        let y = y.clamp(0.0, (self.h - 1) as f64);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (fx, fy) = ((x - x0 as f64) as f32, (y - y0 as f64) as f32);
        let at = |xx: usize, yy: usize| self.data[yy * self.w + xx];
        let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
        let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// Draws `src` onto this plane so that its corners land on `quad` (top-left,
    /// top-right, bottom-right, bottom-left), sampling 2×2 times a pixel as a sensor
    /// integrates light.
    pub fn paste_warped(&mut self, src: &Plane, quad: [(f64, f64); 4]) {
        let (sw, sh) = (src.w as f64, src.h as f64);
        let corners = [(0.0, 0.0), (sw, 0.0), (sw, sh), (0.0, sh)];
        let Some(back) = homography(quad, corners) else {
            return;
        };
        let min_x = quad
            .iter()
            .map(|p| p.0)
            .fold(f64::MAX, f64::min)
            .floor()
            .max(0.0) as usize;
        let max_x = quad
            .iter()
            .map(|p| p.0)
            .fold(f64::MIN, f64::max)
            .ceil()
            .min(self.w as f64) as usize;
        let min_y = quad
            .iter()
            .map(|p| p.1)
            .fold(f64::MAX, f64::min)
            .floor()
            .max(0.0) as usize;
        let max_y = quad
            .iter()
            .map(|p| p.1)
            .fold(f64::MIN, f64::max)
            .ceil()
            .min(self.h as f64) as usize;
        for y in min_y..max_y {
            for x in min_x..max_x {
                let mut sum = 0.0;
                let mut inside = 0;
                for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                    let (u, v) = apply(&back, x as f64 + dx, y as f64 + dy);
                    if u >= 0.0 && v >= 0.0 && u < sw && v < sh {
                        sum += src.bilinear(u - 0.5, v - 0.5);
                        inside += 1;
                    }
                }
                if inside > 0 {
                    let i = y * self.w + x;
                    let background = self.data[i] * (4 - inside) as f32;
                    self.data[i] = (sum + background) / 4.0;
                }
            }
        }
    }

    /// Gaussian blur (separable), as a lens out of focus or a shaking hand.
    pub fn blur(&mut self, sigma: f64) {
        if sigma < 0.2 {
            return;
        }
        let radius = (sigma * 3.0).ceil() as i64;
        let kernel: Vec<f32> = (-radius..=radius)
            .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32)
            .collect();
        let total: f32 = kernel.iter().sum();
        let kernel: Vec<f32> = kernel.iter().map(|k| k / total).collect();
        let (w, h) = (self.w as i64, self.h as i64);
        let mut tmp = vec![0.0f32; self.data.len()];
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0.0;
                for (k, weight) in kernel.iter().enumerate() {
                    let xx = (x + k as i64 - radius).clamp(0, w - 1);
                    acc += self.data[(y * w + xx) as usize] * weight;
                }
                tmp[(y * w + x) as usize] = acc;
            }
        }
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0.0;
                for (k, weight) in kernel.iter().enumerate() {
                    let yy = (y + k as i64 - radius).clamp(0, h - 1);
                    acc += tmp[(yy * w + x) as usize] * weight;
                }
                self.data[(y * w + x) as usize] = acc;
            }
        }
    }

    /// Sensor noise: Gaussian, `sigma` grey levels.
    pub fn noise(&mut self, rng: &mut Rng, sigma: f64) {
        for v in &mut self.data {
            *v += (rng.normal() * sigma) as f32;
        }
    }

    /// Squeezes the levels into `[lo, hi]`: a dim screen, a grey print, haze.
    pub fn levels(&mut self, lo: f32, hi: f32) {
        for v in &mut self.data {
            *v = lo + (hi - lo) * (*v / 255.0);
        }
    }

    /// Multiplies by a light field, `f(x, y)` with x and y in [0, 1].
    pub fn light(&mut self, f: impl Fn(f64, f64) -> f64) {
        for y in 0..self.h {
            for x in 0..self.w {
                let factor = f(x as f64 / self.w as f64, y as f64 / self.h as f64);
                self.data[y * self.w + x] *= factor as f32;
            }
        }
    }

    pub fn invert(&mut self) {
        for v in &mut self.data {
            *v = 255.0 - *v;
        }
    }

    pub fn to_u8(&self) -> Vec<u8> {
        self.data
            .iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect()
    }

    pub fn save_png(&self, path: &Path) -> std::io::Result<()> {
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(
                &self.to_u8(),
                self.w as u32,
                self.h as u32,
                ExtendedColorType::L8,
            )
            .map_err(std::io::Error::other)?;
        std::fs::write(path, out)
    }

    pub fn save_jpeg(&self, path: &Path, quality: u8) -> std::io::Result<()> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, quality)
            .write_image(
                &self.to_u8(),
                self.w as u32,
                self.h as u32,
                ExtendedColorType::L8,
            )
            .map_err(std::io::Error::other)?;
        std::fs::write(path, out)
    }
}

/// The projective map taking `from[i]` to `to[i]`, as a row-major 3×3 matrix with
/// h33 = 1; `None` when three of the points are collinear.
pub fn homography(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Option<[f64; 9]> {
    // Two equations a point pair: u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), v likewise.
    let mut m = [[0.0f64; 9]; 8];
    for i in 0..4 {
        let ((x, y), (u, v)) = (from[i], to[i]);
        m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let pivot_row = m[col];
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (a, b) in row.iter_mut().zip(pivot_row).skip(col) {
                    *a -= f * b;
                }
            }
        }
    }
    let mut h = [1.0; 9];
    for i in 0..8 {
        h[i] = m[i][8] / m[i][i];
    }
    Some(h)
}

pub fn apply(h: &[f64; 9], x: f64, y: f64) -> (f64, f64) {
    let d = h[6] * x + h[7] * y + h[8];
    (
        (h[0] * x + h[1] * y + h[2]) / d,
        (h[3] * x + h[4] * y + h[5]) / d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_the_corners_and_inverts() {
        let square = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)];
        let quad = [(12.0, 30.0), (140.0, 10.0), (160.0, 170.0), (5.0, 120.0)];
        let forward = homography(square, quad).unwrap();
        let back = homography(quad, square).unwrap();
        for (s, q) in square.iter().zip(&quad) {
            let (x, y) = apply(&forward, s.0, s.1);
            assert!((x - q.0).abs() < 1e-6 && (y - q.1).abs() < 1e-6);
        }
        let (x, y) = apply(&forward, 37.0, 81.0);
        let (u, v) = apply(&back, x, y);
        assert!((u - 37.0).abs() < 1e-6 && (v - 81.0).abs() < 1e-6);
        let collinear = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)];
        assert!(homography(collinear, square).is_none());
    }
}

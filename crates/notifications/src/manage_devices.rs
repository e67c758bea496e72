//! The learner's devices: register (or refresh) one, list them, remove one, and remove the
//! device of a sign-in at its logout.

use crate::device::{Device, DeviceError, DeviceId, DeviceRegistration};
use crate::ports::{DeviceStore, StoreError};
use lingo_kernel::{Clock, UserId};
use std::sync::Arc;

/// Devices a learner may have registered at once; registering one more removes the least
/// recently registered (an old phone that never unregistered).
pub const MAX_DEVICES_PER_LEARNER: usize = 10;

impl From<StoreError> for DeviceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

#[derive(Clone)]
pub struct DeviceService {
    devices: Arc<dyn DeviceStore>,
    clock: Arc<dyn Clock>,
}

impl DeviceService {
    pub fn new(devices: Arc<dyn DeviceStore>, clock: Arc<dyn Clock>) -> Self {
        Self { devices, clock }
    }

    /// Registers the device, or refreshes it if its token is registered (apps call this at
    /// every start and whenever the provider rotates the token). Idempotent.
    #[tracing::instrument(skip_all, fields(user_id = %learner, platform = registration.platform.as_str()))]
    pub async fn register(
        &self,
        learner: UserId,
        registration: &DeviceRegistration,
    ) -> Result<Device, DeviceError> {
        Ok(self
            .devices
            .register(
                learner,
                registration,
                MAX_DEVICES_PER_LEARNER,
                self.clock.now(),
            )
            .await?)
    }

    pub async fn list(&self, learner: UserId) -> Result<Vec<Device>, DeviceError> {
        Ok(self.devices.of_learner(learner).await?)
    }

    #[tracing::instrument(skip_all, fields(user_id = %learner, device_id = %id))]
    pub async fn remove(&self, learner: UserId, id: DeviceId) -> Result<(), DeviceError> {
        if self.devices.remove(learner, id).await? {
            Ok(())
        } else {
            Err(DeviceError::NotFound)
        }
    }

    /// At logout: removes the device the app names, if it belongs to the account of the
    /// refresh token being logged out (nothing otherwise; logout goes on either way).
    #[tracing::instrument(skip_all, fields(device_id = %id))]
    pub async fn remove_at_logout(
        &self,
        refresh_token: &str,
        id: DeviceId,
    ) -> Result<(), DeviceError> {
        let hash = lingo_users::auth::refresh_token_hash(refresh_token);
        self.devices.remove_at_logout(&hash, id).await?;
        Ok(())
    }
}

//! EdgeGrid EG1-HMAC-SHA256 request signing (being written).

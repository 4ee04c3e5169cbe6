//! In-memory emulator of the UDM REST API and the UCS@school Kelvin REST API.
